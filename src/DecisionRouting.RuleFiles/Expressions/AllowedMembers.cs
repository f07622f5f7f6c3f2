using System;
using System.Collections.Generic;

namespace DecisionRouting.Expressions
{
    /// <summary>
    /// The expression allow-list as data, by type and member name, so the library (over runtime types) and the
    /// analyzer (over the compilation's symbols) enforce one list (DR0029). Anything not listed is rejected.
    /// </summary>
    internal static class AllowedMembers
    {
        /// <summary>List operations inside list operations multiply their cost; this many levels are allowed.</summary>
        public const int MaxListNesting = 2;

        private static readonly HashSet<string> Readable = new(StringComparer.Ordinal)
        {
            "DecisionRouting.Proposals.Proposal", "DecisionRouting.Proposals.StepDates", "NodaTime.LocalDate", "System.String", "System.Decimal", "System.Int32", "System.Int64", "System.Double", "System.Boolean",
        };

        private static readonly string[] Comparisons = { "op_Equality", "op_Inequality", "op_LessThan", "op_LessThanOrEqual", "op_GreaterThan", "op_GreaterThanOrEqual" };

        private static readonly Dictionary<string, HashSet<string>> Methods = new(StringComparer.Ordinal)
        {
            ["DecisionRouting.Proposals.Proposal"] = Set("Has", "Touches"),
            ["DecisionRouting.Proposals.ProposalAttributes"] = Set("Number", "Text", "Flag", "Date", "Has"),
            ["NodaTime.LocalDate"] = Set(Comparisons, "PlusDays", "PlusWeeks", "PlusMonths", "PlusYears", "CompareTo", "Equals"),
            ["System.String"] = Set(new[] { "op_Equality", "op_Inequality" }, "StartsWith", "EndsWith", "Contains", "Equals", "CompareTo", "Compare", "IsNullOrEmpty", "IsNullOrWhiteSpace", "ToLower", "ToUpper", "ToLowerInvariant", "ToUpperInvariant", "Trim", "Concat"),
            ["System.Linq.Enumerable"] = Set("Any", "All", "Count", "Contains", "Where", "Select", "Sum", "Min", "Max", "First", "FirstOrDefault", "Distinct"),
            ["System.Math"] = Set("Abs", "Min", "Max", "Round", "Floor", "Ceiling"),
            ["System.Decimal"] = Set(Comparisons, "Compare", "Equals", "CompareTo", "Round", "Floor", "Ceiling", "op_Addition", "op_Subtraction", "op_Multiply", "op_Division", "op_Modulus", "op_UnaryNegation", "op_Implicit", "op_Explicit"),
            ["System.Object"] = Set("Equals"),
        };

        /// <summary>The list operations expressions may call (<c>Any</c>, <c>All</c> …); the README lists exactly these, and a test checks it.</summary>
        public static IReadOnlyCollection<string> ListOperations => Methods["System.Linq.Enumerable"];

        /// <summary>The <c>Math</c> functions expressions may call; the README lists exactly these, and a test checks it.</summary>
        public static IReadOnlyCollection<string> MathFunctions => Methods["System.Math"];

        /// <summary>Whether an expression may read properties and fields declared on the type (by full name).</summary>
        public static bool IsReadable(string typeFullName) => Readable.Contains(typeFullName);

        /// <summary>Whether an expression may call the method declared on the type (by full name).</summary>
        public static bool IsCallable(string typeFullName, string method) => Methods.TryGetValue(typeFullName, out var names) && names.Contains(method);

        /// <summary>
        /// Methods allowed on the proposal's own lists and maps (<c>Partners.Contains("x")</c>,
        /// <c>Schedule.ContainsKey("x")</c>, <c>Schedule["x"]</c>): each is bounded by the list it reads.
        /// </summary>
        public static bool IsCollectionMethod(string method) => method is "Contains" or "ContainsKey" or "get_Item";

        /// <summary>Whether the type's list methods are bounded by the list they walk (<c>Enumerable</c>).</summary>
        public static bool IsListOperation(string typeFullName) => typeFullName == "System.Linq.Enumerable";

        /// <summary>The message for something outside the list; <paramref name="what"/> names it, e.g. <c>'Object.GetType'</c>.</summary>
        public static string NotAllowed(string what) =>
            $"{what} is not allowed in rule expressions. Expressions may read the proposal, the rule set's parameters, dates, text and the proposal's own lists; not reflection, files, processes, the environment, threads or unbounded generators";

        private static HashSet<string> Set(params string[] names) => new(names, StringComparer.Ordinal);

        private static HashSet<string> Set(string[] first, params string[] rest)
        {
            var set = Set(rest);
            set.UnionWith(first);
            return set;
        }
    }
}
