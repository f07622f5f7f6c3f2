using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Text;

namespace DecisionRouting.Diagnostics
{
    /// <summary>Collects diagnostics so a load can report every problem at once rather than stopping at the first.</summary>
    internal sealed class DiagnosticBag
    {
        private readonly List<RuleDiagnostic> _items = new();

        public bool HasErrors => _items.Any(d => d.IsError);

        public IReadOnlyList<RuleDiagnostic> Items => _items;

        public void Report(DiagnosticDescriptor descriptor, SourceLocation location, params object?[] arguments) =>
            _items.Add(new RuleDiagnostic(descriptor, location, arguments));

        /// <summary>Adds diagnostics another bag collected (e.g. on another thread).</summary>
        public void AddRange(IEnumerable<RuleDiagnostic> diagnostics) => _items.AddRange(diagnostics);

        /// <summary>In file, then position order, so output is stable whatever order checks ran in.</summary>
        public IReadOnlyList<RuleDiagnostic> ToSortedList() => _items
            .OrderBy(d => d.Location.Path, System.StringComparer.Ordinal)
            .ThenBy(d => d.Location.Start)
            .ThenBy(d => d.Id, System.StringComparer.Ordinal)
            .ToList();
    }
}
