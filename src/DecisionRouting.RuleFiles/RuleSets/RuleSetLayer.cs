namespace DecisionRouting.RuleSets
{
    /// <summary>One folder in a chain of rule sets, e.g. <c>rules/england</c> under <c>rules/partnerships/croydon</c>.</summary>
    /// <param name="Name">The rule set's name from its <c>ruleset.json</c> (or the folder's name).</param>
    /// <param name="Title">Its title for people.</param>
    /// <param name="Directory">The folder, as resolved from the path given to the loader.</param>
    /// <param name="Extends">The folder it extends, as written in its manifest, if any.</param>
    public sealed record RuleSetLayer(string Name, string? Title, string Directory, string? Extends);
}
