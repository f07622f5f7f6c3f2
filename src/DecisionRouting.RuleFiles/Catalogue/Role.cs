namespace DecisionRouting
{
    /// <summary>An officer role that performs steps, e.g. the s151 officer or the monitoring officer.</summary>
    /// <param name="Id">The id rule files use, e.g. <c>s151-officer</c>.</param>
    /// <param name="Name">The name officers use.</param>
    /// <param name="Source">The legal or constitutional basis, if cited.</param>
    public sealed record Role(string Id, string Name, string? Source);
}
