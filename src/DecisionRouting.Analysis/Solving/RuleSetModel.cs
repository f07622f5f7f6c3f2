using System;
using System.Collections.Generic;
using System.Linq;
using DecisionRouting.Analysis.Formulas;
using DecisionRouting.RuleSets;
using DecisionRouting.Text;
using DecisionRouting.Workflows;
using Google.OrTools.Sat;

namespace DecisionRouting.Analysis.Solving
{
    /// <summary>One top-level rule in the model: whether a proposal matches it, or why it is outside the subset.</summary>
    internal sealed class ModelledRule
    {
        public ModelledRule(string workflow, RuleDefinition rule, ILiteral matched, ILiteral decided, OutsideSubsetException? outside, SourceLocation? outsideAt)
        {
            Workflow = workflow;
            Rule = rule;
            Matched = matched;
            Decided = decided;
            Outside = outside;
            OutsideAt = outsideAt;
        }

        public string Workflow { get; }

        public RuleDefinition Rule { get; }

        public IReadOnlyList<string> Steps => Rule.Governance?.Steps ?? Array.Empty<string>();

        /// <summary>Routing lists the rule as matched: decided, true, in force, and its workflow's GlobalParams decided.</summary>
        public ILiteral Matched { get; }

        /// <summary>Routing decides the rule (matched or not), rather than listing it as undecided: the plan is complete as far as this rule goes.</summary>
        public ILiteral Decided { get; }

        /// <summary>Why the rule is outside the subset (then <see cref="Matched"/> is a free literal), or null.</summary>
        public OutsideSubsetException? Outside { get; }

        /// <summary>Where the part outside the subset is.</summary>
        public SourceLocation? OutsideAt { get; }

        public bool InSubset => Outside is null;
    }

    /// <summary>
    /// A rule set as one CP-SAT model: a <see cref="ProposalModel"/>, every top-level rule of every entry workflow as a
    /// "matched" literal, and each step's "required" literal (some matched rule requires it). Questions are asked with
    /// assumptions, so the model is built once per rule set.
    /// </summary>
    internal sealed class RuleSetModel : IFormulaScope
    {
        private readonly RuleSetDefinition _definition;
        private readonly Dictionary<string, ILiteral> _required = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Formula> _named = new(StringComparer.Ordinal);
        private readonly bool _anyExecutiveModel;
        private bool _inProperty;

        /// <summary>Models <paramref name="definition"/>.</summary>
        /// <param name="definition">The rule set.</param>
        /// <param name="anyExecutiveModel">
        /// Whether <c>parameters.executiveModel</c> may be any model rather than the rule set's: to tell a rule that can
        /// never match from one that cannot match only because of the model this rule set declares.
        /// </param>
        public RuleSetModel(RuleSetDefinition definition, bool anyExecutiveModel = false)
        {
            _definition = definition;
            _anyExecutiveModel = anyExecutiveModel;
            Model = new CpModel();
            Proposal = new ProposalModel(Model, definition.Attributes, FormulaReader.Days(SupportedDates.Earliest), FormulaReader.Days(SupportedDates.Latest));
            var timeline = definition.Parameters.TryGetValue("executiveModel", out var executive) ? executive.Timeline : null;
            Encoder = new Encoder(Proposal, null, anyExecutiveModel ? ExecutiveModels.Names : timeline?.Select(t => t.Model).Distinct(StringComparer.Ordinal).ToList());
            if (anyExecutiveModel)
            {
                Model.AddImplication(Model.TrueLiteral(), Encoder.ExecutiveModelDecided!);
            }
            else if (timeline is not null)
            {
                ConstrainTimeline(timeline);
            }

            var rules = new List<ModelledRule>();
            foreach (var workflow in definition.EntryWorkflows)
            {
                rules.AddRange(ModelWorkflow(workflow));
            }

            Rules = rules;
            foreach (var step in definition.Steps.Keys)
            {
                var requiring = rules.Where(r => r.Steps.Contains(step, StringComparer.Ordinal)).Select(r => r.Matched).ToArray();
                _required[step] = requiring.Length == 0 ? Model.FalseLiteral() : Proposal.Or("requires." + step, requiring);
            }

            Encoder.Requires = Required;
        }

        public CpModel Model { get; }

        public ProposalModel Proposal { get; }

        public Encoder Encoder { get; }

        public IReadOnlyList<ModelledRule> Rules { get; }

        /// <summary>The literal "the plan requires <paramref name="step"/>".</summary>
        public ILiteral Required(string step) => _required.TryGetValue(step, out var literal) ? literal : Model.FalseLiteral();

        bool IFormulaScope.AllowsRequires => _inProperty;

        ICollection<string> IFormulaScope.Steps => _definition.Steps.Keys.ToList();

        Formula? IFormulaScope.Named(string name) => _named.TryGetValue(name, out var formula) ? formula : null;

        object? IFormulaScope.Parameter(string name)
        {
            if (!_definition.Parameters.TryGetValue(name, out var parameter))
            {
                return null;
            }

            if (parameter.Timeline is not null || (_anyExecutiveModel && name == "executiveModel"))
            {
                return new ExecutiveModel();
            }

            return parameter.Value switch
            {
                bool b => new BoolConstant(b),
                string s => new TextConstant(s),
                decimal d => new NumberConstant(d, ValueKind.Number),
                double d => new NumberConstant((decimal)d, ValueKind.Number),
                int i => new NumberConstant(i, ValueKind.Number),
                long l => new NumberConstant(l, ValueKind.Number),
                _ => null,
            };
        }

        string? IFormulaScope.AttributeKind(string name) => _definition.Attributes.TryGetValue(name, out var a) ? a.Kind.ToString() : null;

        /// <summary>Reads and encodes a property's formula over this rule set (names: none but the rule-set parameters).</summary>
        public Tri EncodeProperty(string text)
        {
            _named.Clear();
            _inProperty = true;
            try
            {
                var formula = FormulaReader.Read(text, this);
                return Encoder.Encode(formula, new Dictionary<string, Tri>(StringComparer.Ordinal));
            }
            finally
            {
                _inProperty = false;
            }
        }

        private void ConstrainTimeline(IReadOnlyList<ExecutiveModelPeriod> timeline)
        {
            var models = Encoder.TextLiterals[Encoder.ExecutiveModelKey];
            var covered = new List<ILiteral>();
            foreach (var entry in timeline)
            {
                var inEntry = InPeriod(entry.Period.From, entry.Period.Until, Proposal.DecisionDate, Model.TrueLiteral());
                Model.Add(Encoder.ExecutiveModel! == models.ToList().IndexOf(entry.Model) + 1).OnlyEnforceIf(inEntry);
                covered.Add(inEntry);
            }

            Model.AddBoolOr(covered.Append(Encoder.ExecutiveModelDecided!.Not()));
            foreach (var c in covered)
            {
                Model.AddImplication(c, Encoder.ExecutiveModelDecided!);
            }
        }

        private ILiteral InPeriod(NodaTime.LocalDate? from, NodaTime.LocalDate? until, IntVar date, ILiteral decided)
        {
            var parts = new List<ILiteral> { decided };
            if (from is { } f)
            {
                var after = Model.NewBoolVar("from");
                Model.Add(date >= FormulaReader.Days(f)).OnlyEnforceIf(after);
                Model.Add(date < FormulaReader.Days(f)).OnlyEnforceIf(after.Not());
                parts.Add(after);
            }

            if (until is { } u)
            {
                var before = Model.NewBoolVar("until");
                Model.Add(date < FormulaReader.Days(u)).OnlyEnforceIf(before);
                Model.Add(date >= FormulaReader.Days(u)).OnlyEnforceIf(before.Not());
                parts.Add(before);
            }

            return parts.Count == 1 ? decided : Proposal.And("inPeriod", parts.ToArray());
        }

        private IEnumerable<ModelledRule> ModelWorkflow(WorkflowDefinition workflow)
        {
            _named.Clear();
            var names = new Dictionary<string, Tri>(StringComparer.Ordinal);
            var decided = new List<ILiteral>();
            OutsideSubsetException? outside = null;
            SourceLocation? outsideAt = null;
            foreach (var global in workflow.GlobalParams)
            {
                try
                {
                    var tri = Encoder.Encode(FormulaReader.Read(global.Expression, this), names);
                    names[global.Name] = tri;
                    _named[global.Name] = new NamedFormula(global.Name);
                    decided.Add(tri.Decided);
                }
                catch (OutsideSubsetException e)
                {
                    outside = new OutsideSubsetException($"GlobalParam '{global.Name}': {e.Message}", e.Offset, e.Length);
                    outsideAt = global.ExpressionNode.LocateInValue(e.Offset, e.Length);
                    break;
                }
            }

            // RulesEngine evaluates every GlobalParam before any rule: one that is undecided leaves every rule of the workflow unmatched.
            var globalsDecided = decided.Count == 0 ? Model.TrueLiteral() : Proposal.And(workflow.Name + ".globals", decided.ToArray());
            foreach (var rule in workflow.Rules.Where(r => r.Enabled))
            {
                if (outside is not null)
                {
                    yield return new ModelledRule(workflow.Name, rule, Model.NewBoolVar(rule.Name + ".free"), Model.NewBoolVar(rule.Name + ".freeDecided"), outside, outsideAt);
                    continue;
                }

                ModelledRule modelled;
                try
                {
                    var body = Body(rule, names);
                    var (inForce, dateGiven) = InForce(rule);

                    // A rule judged on an absent date attribute is undecided unless its condition is already false.
                    var ruleDecided = Proposal.And(rule.Name + ".decided", globalsDecided, body.Decided, Proposal.Or(rule.Name + ".dateDecided", dateGiven, body.Value.Not()));
                    modelled = new ModelledRule(workflow.Name, rule, Proposal.And(rule.Name + ".matched", globalsDecided, body.Decided, body.Value, inForce), ruleDecided, null, null);
                }
                catch (OutsideAt e)
                {
                    modelled = new ModelledRule(workflow.Name, rule, Model.NewBoolVar(rule.Name + ".free"), Model.NewBoolVar(rule.Name + ".freeDecided"), e.Cause, e.Location);
                }

                yield return modelled;
            }
        }

        private (ILiteral InForce, ILiteral DateGiven) InForce(RuleDefinition rule)
        {
            if (rule.Governance?.Effective is not { } period)
            {
                return (Model.TrueLiteral(), Model.TrueLiteral());
            }

            if (period.On is null)
            {
                return (InPeriod(period.From, period.Until, Proposal.DecisionDate, Model.TrueLiteral()), Model.TrueLiteral());
            }

            var vars = Proposal.Attribute(period.On) ?? throw new OutsideAt(new OutsideSubsetException($"'effective.on' names '{period.On}', which is not declared", 0, 1), rule.Location);
            return (InPeriod(period.From, period.Until, vars.Value, vars.Present), vars.Present);
        }

        private Tri Body(RuleDefinition rule, Dictionary<string, Tri> outer)
        {
            if (rule.WorkflowsToInject.Count > 0)
            {
                throw new OutsideAt(new OutsideSubsetException("rules that inject workflows are not in the analysed subset", 0, 1), rule.Location);
            }

            var names = new Dictionary<string, Tri>(outer, StringComparer.Ordinal);
            var saved = new Dictionary<string, Formula>(_named, StringComparer.Ordinal);
            try
            {
                var decided = new List<ILiteral>();
                foreach (var local in rule.LocalParams)
                {
                    var tri = Read(local.Expression, names, local.ExpressionNode);
                    names[local.Name] = tri;
                    _named[local.Name] = new NamedFormula(local.Name);
                    decided.Add(tri.Decided);
                }

                Tri body;
                var children = rule.Rules.Where(r => r.Enabled).ToList();
                if (children.Count > 0)
                {
                    // Every child is evaluated (RulesEngine's default); one undecided leaves the parent undecided.
                    var parts = children.Select(c => Body(c, names)).ToList();
                    var isAnd = rule.Operator is "And" or "AndAlso";
                    var values = parts.Select(p => p.Value).ToArray();
                    body = new Tri(isAnd ? Proposal.And(rule.Name + ".all", values) : Proposal.Or(rule.Name + ".any", values), Proposal.And(rule.Name + ".childrenDecided", parts.Select(p => p.Decided).ToArray()));
                }
                else
                {
                    body = rule.ExpressionNode is { } node ? Read(node.Value, names, node) : throw new OutsideAt(new OutsideSubsetException("a rule without an expression", 0, 1), rule.Location);
                }

                decided.Add(body.Decided);
                return new Tri(body.Value, decided.Count == 1 ? body.Decided : Proposal.And(rule.Name + ".decided", decided.ToArray()));
            }
            finally
            {
                _named.Clear();
                foreach (var (k, v) in saved)
                {
                    _named[k] = v;
                }
            }
        }

        private Tri Read(string text, IReadOnlyDictionary<string, Tri> names, Json.JsonString node)
        {
            try
            {
                return Encoder.Encode(FormulaReader.Read(text, this), names);
            }
            catch (OutsideSubsetException e)
            {
                throw new OutsideAt(e, node.LocateInValue(e.Offset, e.Length));
            }
        }

        private sealed class OutsideAt : Exception
        {
            public OutsideAt(OutsideSubsetException cause, SourceLocation location)
                : base(cause.Message, cause)
            {
                Cause = cause;
                Location = location;
            }

            public OutsideSubsetException Cause { get; }

            public SourceLocation Location { get; }
        }
    }
}
