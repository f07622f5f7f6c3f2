namespace DecisionRouting.Graph
{
    /// <summary>The text a diagram is written in: a plan's (<see cref="PlanGraph"/>) or a case's (<c>ProposalLifecycle.GraphAsync</c>).</summary>
    public enum GraphFormat
    {
        /// <summary>Mermaid (<c>flowchart</c> for a plan, <c>stateDiagram-v2</c> for a case), for Markdown pages.</summary>
        Mermaid,

        /// <summary>Graphviz DOT, to draw with <c>dot -Tsvg</c> or <see cref="Graphviz"/>.</summary>
        Dot,
    }
}
