using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using DecisionRouting.Proposals;
using DecisionRouting.RuleSets;
using Google.OrTools.Sat;

namespace DecisionRouting.Analysis.Solving
{
    /// <summary>
    /// A proposal as CP-SAT variables: every field an expression of the subset can read, each declared attribute with
    /// whether the proposal gives it, and the derived properties (<c>SpendOrSaving</c>, <c>DecidedAtMeeting</c>,
    /// <c>NoticeImpracticable</c> …) constrained exactly as <see cref="Proposal"/> computes them. A solution reads back
    /// as a proposal file the CLI can route.
    /// </summary>
    internal sealed class ProposalModel
    {
        /// <summary>The largest amount of money modelled, in pence (£100bn): far above any council decision.</summary>
        public const long MaxPence = 10_000_000_000_000;

        /// <summary>The largest count modelled (wards, staff, redundancies).</summary>
        public const long MaxCount = 1_000_000;

        private static readonly string[] BoolFieldNames = { "AllWards", "SignificantEffectOnCommunities", "TupeTransfer", "Urgent", "AffectsBudgetAndPolicyFramework", "SubstantialVariationOfHealthServices", "LegallyBinding" };

        private readonly Dictionary<(IntVar Var, long Value), BoolVar> _equalities = new();
        private readonly Dictionary<string, AttributeVars> _attributes = new(StringComparer.Ordinal);
        private readonly Dictionary<string, BoolVar> _bools = new(StringComparer.Ordinal);

        public ProposalModel(CpModel model, IReadOnlyDictionary<string, RuleSetAttribute> attributes, long earliestDay, long latestDay)
        {
            Model = model;
            DecisionMaker = model.NewIntVar(0, Enum.GetValues<DecisionMaker>().Length - 1, "decisionMaker");
            DecidedAt = model.NewIntVar(0, 2, "decidedAt"); // 0: not given, 1: Meeting, 2: Individual
            foreach (var name in BoolFieldNames)
            {
                _bools[name] = model.NewBoolVar(name);
            }

            NoticeGiven = model.NewBoolVar("noticeImpracticableGiven");
            NoticeValue = model.NewBoolVar("noticeImpracticableValue");
            CallInGiven = model.NewBoolVar("callInExemptGiven");
            CallInValue = model.NewBoolVar("callInExemptValue");
            Kinds = Enum.GetNames<ProposalKind>().ToDictionary(k => k, k => model.NewBoolVar("kind." + k), StringComparer.Ordinal);
            Roles = Enum.GetNames<StatutoryRole>().ToDictionary(k => k, k => model.NewBoolVar("role." + k), StringComparer.Ordinal);
            Exempt = Enumerable.Range(1, 7).ToDictionary(i => i, i => model.NewBoolVar("exempt." + i));
            FinancialCommitment = model.NewIntVar(0, MaxPence, "financialCommitment");
            Savings = model.NewIntVar(0, MaxPence, "savings");
            SpendOrSaving = model.NewIntVar(0, MaxPence, "spendOrSaving");
            model.AddMaxEquality(SpendOrSaving, new[] { FinancialCommitment, Savings });
            Counts = new[] { "WardsAffected", "StaffAffected", "ProposedRedundancies" }.ToDictionary(n => n, n => model.NewIntVar(0, MaxCount, n), StringComparer.Ordinal);
            DecisionDate = model.NewIntVar(earliestDay, latestDay, "intendedDecisionDate");
            EarliestDay = earliestDay;
            LatestDay = latestDay;

            // Only proposals the reader accepts (ProposalReader): at least one kind, no more redundancies than staff
            // affected, and a decidedAt the decision-maker can decide in.
            model.AddBoolOr(Kinds.Values);
            model.Add(Counts["ProposedRedundancies"] <= Counts["StaffAffected"]);
            foreach (var maker in Enum.GetValues<DecisionMaker>())
            {
                foreach (var (setting, value) in new[] { (DecisionSetting.Meeting, 1L), (DecisionSetting.Individual, 2L) })
                {
                    if (!ProposalReader.CanDecide(maker, setting))
                    {
                        model.AddBoolOr(new ILiteral[] { IsDecisionMaker(maker).Not(), Equal(DecidedAt, value).Not() });
                    }
                }
            }

            // Derived properties, as Proposal computes them.
            var niFromUrgent = _bools["Urgent"];
            _bools["NoticeImpracticable"] = Choose("NoticeImpracticable", NoticeGiven, NoticeValue, niFromUrgent);
            _bools["CallInExempt"] = Choose("CallInExempt", CallInGiven, CallInValue, niFromUrgent);
            _bools["UrgencyReadFromUrgentFlag"] = And("UrgencyReadFromUrgentFlag", _bools["Urgent"], Or("eitherNotGiven", NoticeGiven.Not(), CallInGiven.Not()));
            _bools["IsExecutiveDecision"] = Or("IsExecutiveDecision", IsDecisionMaker(Proposals.DecisionMaker.Leader), IsDecisionMaker(Proposals.DecisionMaker.Cabinet), IsDecisionMaker(Proposals.DecisionMaker.CabinetMember), IsDecisionMaker(Proposals.DecisionMaker.Officer));
            var meetingByDefault = Enum.GetValues<DecisionMaker>().Where(d => Proposal.DefaultSetting(d) == DecisionSetting.Meeting).Select(IsDecisionMaker).ToArray();
            _bools["DecidedAtMeeting"] = Or("DecidedAtMeeting", Equal(DecidedAt, 1), And("meetingByDefault", Equal(DecidedAt, 0), Or("defaultMeeting", meetingByDefault)));
            _bools["HasExemptInformation"] = Or("HasExemptInformation", Exempt.Values.Cast<ILiteral>().ToArray());

            foreach (var attribute in attributes.Values)
            {
                var present = model.NewBoolVar("attr." + attribute.Name + ".given");
                var value = attribute.Kind switch
                {
                    RuleSetAttributeKind.Flag => (IntVar)model.NewBoolVar("attr." + attribute.Name),
                    RuleSetAttributeKind.Number => model.NewIntVar(-MaxPence, MaxPence, "attr." + attribute.Name),
                    RuleSetAttributeKind.Date => model.NewIntVar(earliestDay, latestDay, "attr." + attribute.Name),
                    _ => model.NewIntVar(0, 10_000, "attr." + attribute.Name),
                };
                if (attribute.Required)
                {
                    model.AddImplication(model.TrueLiteral(), present);
                }

                _attributes[attribute.Name] = new AttributeVars(attribute, present, value);
            }
        }

        public CpModel Model { get; }

        public IntVar DecisionMaker { get; }

        public IntVar DecidedAt { get; }

        public BoolVar NoticeGiven { get; }

        public BoolVar NoticeValue { get; }

        public BoolVar CallInGiven { get; }

        public BoolVar CallInValue { get; }

        public IReadOnlyDictionary<string, BoolVar> Kinds { get; }

        public IReadOnlyDictionary<string, BoolVar> Roles { get; }

        public IReadOnlyDictionary<int, BoolVar> Exempt { get; }

        public IntVar FinancialCommitment { get; }

        public IntVar Savings { get; }

        public IntVar SpendOrSaving { get; }

        public IReadOnlyDictionary<string, IntVar> Counts { get; }

        public IntVar DecisionDate { get; }

        public long EarliestDay { get; }

        public long LatestDay { get; }

        /// <summary>A boolean field or derived property by its Proposal name.</summary>
        public ILiteral Bool(string name) => _bools[name];

        /// <summary>The variables of a declared attribute, or null.</summary>
        public AttributeVars? Attribute(string name) => _attributes.TryGetValue(name, out var vars) ? vars : null;

        /// <summary>The literal "decisionMaker is d".</summary>
        public BoolVar IsDecisionMaker(DecisionMaker d) => Equal(DecisionMaker, (long)d);

        /// <summary>A literal equivalent to <paramref name="variable"/> == <paramref name="value"/>, made once.</summary>
        public BoolVar Equal(IntVar variable, long value)
        {
            if (!_equalities.TryGetValue((variable, value), out var literal))
            {
                literal = Model.NewBoolVar($"{variable.Name()}=={value}");
                Model.Add(variable == value).OnlyEnforceIf(literal);
                Model.Add(variable != value).OnlyEnforceIf(literal.Not());
                _equalities[(variable, value)] = literal;
            }

            return literal;
        }

        /// <summary>A literal equivalent to the conjunction.</summary>
        public BoolVar And(string name, params ILiteral[] literals)
        {
            var v = Model.NewBoolVar(name);
            foreach (var l in literals)
            {
                Model.AddImplication(v, l);
            }

            Model.AddBoolOr(literals.Select(l => l.Not()).Append(v));
            return v;
        }

        /// <summary>A literal equivalent to the disjunction.</summary>
        public BoolVar Or(string name, params ILiteral[] literals)
        {
            var v = Model.NewBoolVar(name);
            foreach (var l in literals)
            {
                Model.AddImplication(l, v);
            }

            Model.AddBoolOr(literals.Append(v.Not()));
            return v;
        }

        private BoolVar Choose(string name, BoolVar given, BoolVar value, ILiteral otherwise)
        {
            var v = Model.NewBoolVar(name);
            Model.AddImplication(v, value).OnlyEnforceIf(given);
            Model.AddImplication(value, v).OnlyEnforceIf(given);
            Model.AddImplication(v, otherwise).OnlyEnforceIf(given.Not());
            Model.AddImplication(otherwise, v).OnlyEnforceIf(given.Not());
            return v;
        }

        /// <summary>
        /// The proposal a solution describes, as a proposal file (schemas/proposal.schema.json) that the CLI routes.
        /// Text attributes compared with literals take one of them; any other index stands for a text no rule names.
        /// </summary>
        public string ToProposalJson(CpSolver solver, string id, string title, IReadOnlyDictionary<string, IReadOnlyList<string>> textLiterals)
        {
            using var stream = new System.IO.MemoryStream();
            using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                w.WriteStartObject();
                w.WriteString("id", id);
                w.WriteString("title", title);
                w.WriteString("decisionMaker", ((DecisionMaker)solver.Value(DecisionMaker)).ToString());
                var decidedAt = solver.Value(DecidedAt);
                if (decidedAt != 0)
                {
                    w.WriteString("decidedAt", decidedAt == 1 ? "Meeting" : "Individual");
                }

                w.WriteString("intendedDecisionDate", DateText(solver.Value(DecisionDate)));
                w.WriteStartArray("kinds");
                foreach (var (kind, v) in Kinds.Where(k => solver.BooleanValue(k.Value)))
                {
                    w.WriteStringValue(kind);
                }

                w.WriteEndArray();
                w.WriteNumber("financialCommitment", solver.Value(FinancialCommitment) / 100m);
                w.WriteNumber("savings", solver.Value(Savings) / 100m);
                w.WriteNumber("wardsAffected", solver.Value(Counts["WardsAffected"]));
                w.WriteNumber("staffAffected", solver.Value(Counts["StaffAffected"]));
                w.WriteNumber("proposedRedundancies", solver.Value(Counts["ProposedRedundancies"]));
                foreach (var name in BoolFieldNames)
                {
                    w.WriteBoolean(char.ToLowerInvariant(name[0]) + name.Substring(1), solver.BooleanValue(_bools[name]));
                }

                if (solver.BooleanValue(NoticeGiven))
                {
                    w.WriteBoolean("noticeImpracticable", solver.BooleanValue(NoticeValue));
                }

                if (solver.BooleanValue(CallInGiven))
                {
                    w.WriteBoolean("callInExempt", solver.BooleanValue(CallInValue));
                }

                w.WriteStartArray("exemptParagraphs");
                foreach (var (paragraph, _) in Exempt.Where(e => solver.BooleanValue(e.Value)))
                {
                    w.WriteNumberValue(paragraph);
                }

                w.WriteEndArray();
                w.WriteStartArray("statutoryRoles");
                foreach (var (role, _) in Roles.Where(r => solver.BooleanValue(r.Value)))
                {
                    w.WriteStringValue(role);
                }

                w.WriteEndArray();
                w.WriteStartObject("attributes");
                foreach (var (name, vars) in _attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
                {
                    if (!solver.BooleanValue(vars.Present))
                    {
                        continue;
                    }

                    var value = solver.Value(vars.Value);
                    switch (vars.Declaration.Kind)
                    {
                        case RuleSetAttributeKind.Flag:
                            w.WriteBoolean(name, value != 0);
                            break;
                        case RuleSetAttributeKind.Number:
                            w.WriteNumber(name, value / 100m);
                            break;
                        case RuleSetAttributeKind.Date:
                            w.WriteString(name, DateText(value));
                            break;
                        default:
                            var literals = textLiterals.TryGetValue(name, out var known) ? known : Array.Empty<string>();
                            w.WriteString(name, value >= 1 && value <= literals.Count ? literals[(int)value - 1] : "(a value no rule names)");
                            break;
                    }
                }

                w.WriteEndObject();
                w.WriteEndObject();
            }

            return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
        }

        private static string DateText(long days) =>
            new NodaTime.LocalDate(1970, 1, 1).PlusDays((int)days).ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);
    }

    /// <summary>A declared attribute's variables: whether the proposal gives it, and its value.</summary>
    internal sealed record AttributeVars(RuleSetAttribute Declaration, BoolVar Present, IntVar Value);
}
