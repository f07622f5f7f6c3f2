using System;
using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Diagnostics;
using DecisionRouting.RuleSets;
using DecisionRouting.Text;

namespace DecisionRouting.Proposals
{
    /// <summary>
    /// Checks a proposal's attributes against the attributes its rule set declares: a declared attribute of the
    /// wrong type is an error (DR0036), and so is a required one left out (DR0086); an attribute the rule set does not declare is a
    /// warning (DR0035), since no rule reads it and it is most likely misspelt.
    /// </summary>
    internal static class ProposalAttributeCheck
    {
        public static IReadOnlyList<RuleDiagnostic> Check(Proposal proposal, RuleSetDefinition ruleSet)
        {
            // Routing checks every proposal; the full check builds lists and sorts even when it finds nothing.
            if (NothingToReport(proposal, RequiresAttributes(ruleSet)))
            {
                return Array.Empty<RuleDiagnostic>();
            }

            var attributes = proposal.Attributes;
            var bag = new DiagnosticBag();
            var fallback = attributes.Origin ?? SourceLocation.ForPath($"proposal '{proposal.Id}'");

            // A proposal built in code has not been through the reader's size limits either, and the static cost and
            // size bounds of every expression (ExpressionCost) assume them: a larger proposal could cost more than any
            // bound the loader checked. Refuse it by the field, as the reader would.
            foreach (var problem in OverLimits(proposal))
            {
                bag.Report(DiagnosticDescriptors.ProposalTooLarge, SourceLocation.ForPath($"proposal '{Clip(proposal.Id)}'"), problem);
            }

            // A proposal built in code, not read from a file, has not been through the reader's date range: check it here,
            // before routing derives any date from it.
            var dates = new List<(string What, NodaTime.LocalDate Date)> { ("intendedDecisionDate", proposal.IntendedDecisionDate) };
            foreach (var entry in proposal.Schedule.OrderBy(e => e.Key, System.StringComparer.Ordinal))
            {
                if (entry.Value.Start is { } start)
                {
                    dates.Add(($"schedule '{entry.Key}' start", start));
                }

                if (entry.Value.End is { } end)
                {
                    dates.Add(($"schedule '{entry.Key}' end", end));
                }
            }

            foreach (var (what, date) in dates.Where(d => !SupportedDates.Contains(d.Date)))
            {
                bag.Report(DiagnosticDescriptors.DateOutOfRange, SourceLocation.ForPath($"proposal '{proposal.Id}'"), SupportedDates.OutOfRange($"The proposal's {what}", NodaTime.Text.LocalDatePattern.Iso.Format(date)));
            }
            foreach (var declared in ruleSet.Attributes.Values.OrderBy(a => a.Name, System.StringComparer.Ordinal))
            {
                if (!attributes.Values.TryGetValue(declared.Name, out var value))
                {
                    if (declared.Required)
                    {
                        bag.Report(
                            DiagnosticDescriptors.RequiredAttributeMissing,
                            fallback,
                            declared.Name,
                            declared.KindInWords,
                            ruleSet.Name,
                            declared.Description ?? "no description",
                            declared.RuleSet);
                    }

                    continue;
                }

                if (!Fits(declared.Kind, value))
                {
                    bag.Report(
                        DiagnosticDescriptors.ProposalAttributeInvalid,
                        attributes.Locations.TryGetValue(declared.Name, out var at) ? at : fallback,
                        declared.Name,
                        declared.KindInWords,
                        declared.RuleSet,
                        Describe(value),
                        Hint(declared.Kind, value));
                }
                else if (declared.Kind == RuleSetAttributeKind.Date && ProposalAttributes.TryDate(value, out var date) && !DecisionRouting.Text.SupportedDates.Contains(date))
                {
                    // Rules add periods to attribute dates (PlusDays …): the same range as every other date keeps them representable.
                    bag.Report(
                        DiagnosticDescriptors.DateOutOfRange,
                        attributes.Locations.TryGetValue(declared.Name, out var at) ? at : fallback,
                        DecisionRouting.Text.SupportedDates.OutOfRange($"Attribute '{declared.Name}'", NodaTime.Text.LocalDatePattern.Iso.Format(date)));
                }
            }

            foreach (var name in attributes.Values.Keys.Where(n => !ruleSet.Attributes.ContainsKey(n)).OrderBy(n => n, System.StringComparer.Ordinal))
            {
                bag.Report(
                    DiagnosticDescriptors.ProposalAttributeNotDeclared,
                    attributes.Locations.TryGetValue(name, out var at) ? at : fallback,
                    name,
                    ruleSet.Name,
                    NameSuggestions.DidYouMean(name, ruleSet.Attributes.Keys));
            }

            return bag.ToSortedList();
        }

        /// <summary>
        /// Whether <see cref="Check"/> certainly finds nothing, told without allocating: no attributes or schedule,
        /// every text and list within <see cref="Expressions.ProposalLimits"/>, the decision date in range, and no
        /// attribute required (<paramref name="requiresAttributes"/>: whether the rule set declares a required one).
        /// False means only "run the full check". Each condition stands for one part of the full check below, which
        /// then has nothing to report: keep the two in step.
        /// </summary>
        internal static bool NothingToReport(Proposal proposal, bool requiresAttributes)
        {
            if (requiresAttributes || proposal.Attributes.Values.Count != 0 || proposal.Schedule.Count != 0
                || !SupportedDates.Contains(proposal.IntendedDecisionDate)
                || TooLong(proposal.Id) || TooLong(proposal.Title) || TooLong(proposal.Organisation) || TooLong(proposal.UrgencyReason)
                || proposal.Partners.Count > Expressions.ProposalLimits.MaxEntries || proposal.Kinds.Count > Expressions.ProposalLimits.MaxEntries
                || proposal.ExemptParagraphs.Count > Expressions.ProposalLimits.MaxEntries || proposal.StatutoryRoles.Count > Expressions.ProposalLimits.MaxEntries)
            {
                return false;
            }

            for (var i = 0; i < proposal.Partners.Count; i++)
            {
                if (TooLong(proposal.Partners[i]))
                {
                    return false;
                }
            }

            return true;

            static bool TooLong(string? text) => text is not null && text.Length > Expressions.ProposalLimits.MaxTextLength;
        }

        private static bool RequiresAttributes(RuleSetDefinition ruleSet)
        {
            if (ruleSet.Attributes.Count == 0)
            {
                return false;
            }

            foreach (var attribute in ruleSet.Attributes.Values)
            {
                if (attribute.Required)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// The fields of <paramref name="proposal"/> over <see cref="Expressions.ProposalLimits"/>, in words naming
        /// each field: a text longer than <see cref="Expressions.ProposalLimits.MaxTextLength"/> characters, or a list
        /// or map with more than <see cref="Expressions.ProposalLimits.MaxEntries"/> entries.
        /// </summary>
        internal static IEnumerable<string> OverLimits(Proposal proposal)
        {
            const int maxText = Expressions.ProposalLimits.MaxTextLength;
            const int maxEntries = Expressions.ProposalLimits.MaxEntries;

            IEnumerable<string> Text(string field, string? value) =>
                value is not null && value.Length > maxText
                    ? [$"The proposal's {field} is {value.Length} characters long, more than the {maxText} a proposal field may hold"]
                    : [];

            IEnumerable<string> Entries(string field, int count) =>
                count > maxEntries
                    ? [$"The proposal's {field} has {count} entries, more than the {maxEntries} a proposal may hold"]
                    : [];

            var problems = new List<string>();
            problems.AddRange(Text("id", proposal.Id));
            problems.AddRange(Text("title", proposal.Title));
            problems.AddRange(Text("organisation", proposal.Organisation));
            problems.AddRange(Text("urgencyReason", proposal.UrgencyReason));
            problems.AddRange(Entries("partners", proposal.Partners.Count));
            problems.AddRange(proposal.Partners.SelectMany((p, i) => Text($"partners[{i}]", p)));
            problems.AddRange(Entries("kinds", proposal.Kinds.Count));
            problems.AddRange(Entries("exemptParagraphs", proposal.ExemptParagraphs.Count));
            problems.AddRange(Entries("statutoryRoles", proposal.StatutoryRoles.Count));
            problems.AddRange(Entries("schedule", proposal.Schedule.Count));
            problems.AddRange(proposal.Schedule.Keys.OrderBy(k => k, System.StringComparer.Ordinal).SelectMany(k => Text($"schedule key '{Clip(k)}'", k)));
            problems.AddRange(Entries("attributes", proposal.Attributes.Values.Count));
            foreach (var entry in proposal.Attributes.Values.OrderBy(e => e.Key, System.StringComparer.Ordinal))
            {
                problems.AddRange(Text($"attribute name '{Clip(entry.Key)}'", entry.Key));
                if (entry.Value is string text)
                {
                    problems.AddRange(Text($"attribute '{Clip(entry.Key)}'", text));
                }
            }

            return problems;
        }

        // A name quoted in a message is cut short, so the message about an over-long text is not itself over-long.
        private static string Clip(string? text) => text is null ? "" : text.Length <= 60 ? text : text.Substring(0, 60) + "…";

        private static bool Fits(RuleSetAttributeKind kind, object value) => kind switch
        {
            RuleSetAttributeKind.Number => value is decimal,
            RuleSetAttributeKind.Text => value is string,
            RuleSetAttributeKind.Flag => value is bool,
            _ => ProposalAttributes.TryDate(value, out _),
        };

        private static string Describe(object value) => value is string s ? $"the text \"{s}\"" : $"{ProposalAttributes.Describe(value)} ({value})";

        private static string Hint(RuleSetAttributeKind kind, object value) => (kind, value) switch
        {
            (RuleSetAttributeKind.Number, string s) when decimal.TryParse(s, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out _) => $"; write it without quotes: {s}",
            (RuleSetAttributeKind.Flag, string s) when s is "true" or "false" => $"; write it without quotes: {s}",
            _ => string.Empty,
        };
    }
}
