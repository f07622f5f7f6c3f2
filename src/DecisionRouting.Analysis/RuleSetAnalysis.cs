using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using DecisionRouting.Analysis.Formulas;
using DecisionRouting.Analysis.Solving;
using DecisionRouting.Diagnostics;
using DecisionRouting.Proposals;
using DecisionRouting.RuleSets;
using DecisionRouting.Text;
using Google.OrTools.Sat;

namespace DecisionRouting.Analysis
{
    /// <summary>
    /// Rule-set analysis (docs/analysis.md): the rule set's expressions, within a decidable subset, become one CP-SAT
    /// model of a proposal and the rules it matches, and questions about the rule set are asked of it. Finds rules no
    /// proposal can match (DR0097), rules another always covers (DR0098), decision-makers and kinds with no approval
    /// step (DR0096), orderings no plan can keep (DR0095), steps no plan can hold (DR0100) and properties an officer
    /// asks for that a proposal breaks (DR0099, with the proposal); rules outside the subset are named (DR0101), not
    /// guessed at.
    /// </summary>
    public static class RuleSetAnalysis
    {
        /// <summary>Analyses a rule set that loaded without errors.</summary>
        /// <param name="definition">The rule set, as <c>RuleSet.Validate</c> or <c>RuleSet.Definition</c> gives it.</param>
        /// <param name="options">What to check; <see cref="RuleSetAnalysisOptions.Default"/> when null.</param>
        /// <returns>The findings, each at its position, and the proposals that show them.</returns>
        /// <exception cref="ArgumentException">The definition has errors, or <see cref="RuleSetAnalysisOptions.TimePerQuestion"/> is not positive.</exception>
        public static RuleSetAnalysisReport Analyse(RuleSetDefinition definition, RuleSetAnalysisOptions? options = null)
        {
            ArgumentNullException.ThrowIfNull(definition);
            options ??= RuleSetAnalysisOptions.Default;
            if (definition.HasErrors)
            {
                throw new ArgumentException("The rule set has errors; analyse a rule set that loads.", nameof(definition));
            }

            if (options.TimePerQuestion <= TimeSpan.Zero)
            {
                throw new ArgumentException("TimePerQuestion must be positive.", nameof(options));
            }

            return new Run(definition, options).Analyse();
        }

        private sealed class Run
        {
            private readonly RuleSetDefinition _definition;
            private readonly RuleSetAnalysisOptions _options;
            private readonly RuleSetModel _model;
            private readonly List<RuleDiagnostic> _findings = new();
            private readonly List<AnalysisCounterexample> _counterexamples = new();
            private readonly Dictionary<string, SourceLocation> _stepLocations = new(StringComparer.Ordinal);
            private RuleSetModel? _anyModel;

            // Which rules each solution found so far matched: a solution answers later questions without the solver
            // (a rule it matched is not dead; a pair it matched one of and not the other is not a shadowing).
            private readonly List<bool[]> _witnesses = new();

            public Run(RuleSetDefinition definition, RuleSetAnalysisOptions options)
            {
                _definition = definition;
                _options = options;
                _model = new RuleSetModel(definition);
            }

            public RuleSetAnalysisReport Analyse()
            {
                foreach (var rule in _model.Rules.Where(r => !r.InSubset))
                {
                    Report(DiagnosticDescriptors.OutsideAnalysedSubset, rule.OutsideAt ?? rule.Rule.Location, $"Rule '{rule.Rule.Name}' (workflow '{rule.Workflow}')", rule.Outside!.Message, "it is taken as able to match or not match any proposal, so no finding rests on it");
                }

                var dead = DeadRules();
                ShadowedRules(dead);
                Gaps();
                Conflicts();
                UnreachableSteps();
                var properties = Properties();
                return new RuleSetAnalysisReport(_definition.Name, _findings, _counterexamples, _model.Rules.Count, _model.Rules.Count(r => r.InSubset), properties);
            }

            private HashSet<ModelledRule> DeadRules()
            {
                var dead = new HashSet<ModelledRule>();
                foreach (var rule in _model.Rules.Where(r => r.InSubset))
                {
                    var index = IndexOf(rule);
                    if (_witnesses.Any(w => w[index]))
                    {
                        continue;
                    }

                    var answer = Ask($"Rule '{rule.Rule.Name}'", rule.Rule.Location, rule.Matched);
                    if (answer == CpSolverStatus.Infeasible)
                    {
                        dead.Add(rule);
                        var period = rule.Rule.Governance?.Effective is { } p ? $" while in force ({p.Describe()}, judged on {p.JudgedAgainst})" : string.Empty;
                        Report(DiagnosticDescriptors.DeadRule, rule.Rule.Location, rule.Rule.Name, period + Bounds + ByModel(rule));
                    }
                }

                return dead;
            }

            // A baseline carries rules for every executive model; one that can match under another model is dead only
            // because of the model this rule set declares, which the finding says, so an officer can tell the two apart.
            private string ByModel(ModelledRule rule)
            {
                if (!_definition.Parameters.TryGetValue("executiveModel", out var executive))
                {
                    return string.Empty;
                }

                _anyModel ??= new RuleSetModel(_definition, anyExecutiveModel: true);
                var same = _anyModel.Rules.FirstOrDefault(r => ReferenceEquals(r.Rule, rule.Rule));
                if (same is null || !same.InSubset)
                {
                    return string.Empty;
                }

                using var solver = Solve(_anyModel.Model, same.Matched);
                if (solver.Status is not (CpSolverStatus.Feasible or CpSolverStatus.Optimal))
                {
                    return "; it could not match under any executive model either";
                }

                var model = executive.Timeline is null ? $"'{executive.Value}'" : "in force on every decision date its timeline covers";
                return $"; this is because of the rule set's executiveModel ({model}): it matches only where executiveModel is {ExecutiveModels.Names[(int)solver.Solver.Value(_anyModel.Encoder.ExecutiveModel!) - 1]} (a rule set that extends this one may declare that)";
            }

            private void ShadowedRules(HashSet<ModelledRule> dead)
            {
                var rules = _model.Rules;
                for (var i = 0; i < rules.Count; i++)
                {
                    var rule = rules[i];
                    if (!rule.InSubset || dead.Contains(rule) || rule.Steps.Count == 0 || rule.Rule.Governance?.Warning is not null)
                    {
                        continue;
                    }

                    var covering = new List<string>();
                    for (var j = 0; j < rules.Count; j++)
                    {
                        var other = rules[j];
                        if (i == j || !other.InSubset || dead.Contains(other) || !rule.Steps.All(s => other.Steps.Contains(s, StringComparer.Ordinal)))
                        {
                            continue;
                        }

                        if (_witnesses.Any(w => w[i] && !w[j]) || Ask($"Rule '{rule.Rule.Name}' against '{other.Rule.Name}'", rule.Rule.Location, rule.Matched, other.Matched.Not()) != CpSolverStatus.Infeasible)
                        {
                            continue;
                        }

                        // Two rules that match exactly the same proposals with the same steps shadow each other: name the later one only.
                        var mutual = j > i && other.Steps.Count == rule.Steps.Count && !_witnesses.Any(w => w[j] && !w[i]) && Ask($"Rule '{other.Rule.Name}' against '{rule.Rule.Name}'", other.Rule.Location, other.Matched, rule.Matched.Not()) == CpSolverStatus.Infeasible;
                        if (!mutual)
                        {
                            covering.Add($"'{other.Rule.Name}' ({Where(other.Rule.Location)})");
                        }
                    }

                    if (covering.Count > 0)
                    {
                        Report(DiagnosticDescriptors.ShadowedRule, rule.Rule.Location, rule.Rule.Name, string.Join(" and ", covering), Steps(rule.Steps));
                    }
                }
            }

            private void Gaps()
            {
                var approvals = _model.Rules.Where(r => r.Steps.Any(s => _definition.Steps.TryGetValue(s, out var step) && step.Kind == StepKind.Approval)).ToList();
                var approvalSteps = Steps(approvals.SelectMany(r => r.Steps).Where(s => _definition.Steps[s].Kind == StepKind.Approval).Distinct(StringComparer.Ordinal));
                var which = approvalSteps.Length == 0 ? "the rule set has no approval step" : "approval steps " + approvalSteps;
                var anyApproval = approvals.Count == 0 ? _model.Model.FalseLiteral() : _model.Proposal.Or("anyApproval", approvals.Select(r => r.Matched).ToArray());

                // Silent: every rule that would require an approval step is decided and does not match, so the plan is
                // complete and says nothing (an undecided one makes the plan incomplete, which routing already says loudly).
                var silent = approvals.Count == 0 ? _model.Model.TrueLiteral() : _model.Proposal.And("noApproval", approvals.SelectMany(r => new[] { r.Decided, r.Matched.Not() }).ToArray());
                var at = RuleSetFile();
                foreach (var maker in Enum.GetValues<DecisionMaker>())
                {
                    var isMaker = _model.Proposal.IsDecisionMaker(maker);
                    if (Ask($"Decision-maker {maker}", at, isMaker, anyApproval) == CpSolverStatus.Infeasible)
                    {
                        Report(DiagnosticDescriptors.ApprovalGap, at, $"whose decision-maker is {maker}", $"no rule that requires one ({which}) can match such a proposal");
                        continue;
                    }

                    using var solver = Solve(isMaker, silent);
                    if (solver.Status is CpSolverStatus.Feasible or CpSolverStatus.Optimal)
                    {
                        var finding = Report(DiagnosticDescriptors.ApprovalGap, at, $"whose decision-maker is {maker}", $"some such proposals match none of the rules that require one ({which}), and no rule is left undecided, so the plan is complete without a decision step");
                        Counterexample(finding, solver.Solver, $"a proposal whose decision-maker is {maker} and whose plan has no approval step");
                    }
                    else if (solver.Status != CpSolverStatus.Infeasible)
                    {
                        Undecided($"Decision-maker {maker}", at);
                    }
                }

                foreach (var kind in Enum.GetNames<ProposalKind>())
                {
                    if (Ask($"Proposal kind {kind}", at, _model.Proposal.Kinds[kind], anyApproval) == CpSolverStatus.Infeasible)
                    {
                        Report(DiagnosticDescriptors.ApprovalGap, at, $"of kind {kind}", $"no rule that requires one ({which}) can match such a proposal");
                    }
                }
            }

            private void Conflicts()
            {
                var graph = new StepGraph(_definition.Predecessors, _definition.Steps.Keys);
                foreach (var later in _definition.Steps.Values.Where(s => s.Duration?.Anchor == PeriodAnchor.BeforeDecision))
                {
                    foreach (var earlierId in graph.Ancestors(later.Id))
                    {
                        var earlier = _definition.Steps[earlierId];
                        var afterDecision = earlier.Kind == StepKind.CallIn ? "a call-in window" : earlier.Duration?.Anchor == PeriodAnchor.AfterDecision ? "its period runs after the decision" : null;
                        if (afterDecision is null)
                        {
                            continue;
                        }

                        var at = StepLocation(later.Id);
                        using var solver = Solve(_model.Required(later.Id), _model.Required(earlierId));
                        if (solver.Status == CpSolverStatus.Infeasible)
                        {
                            continue;
                        }

                        if (solver.Status is not (CpSolverStatus.Feasible or CpSolverStatus.Optimal))
                        {
                            Undecided($"The ordering of '{later.Id}' after '{earlierId}'", at);
                            continue;
                        }

                        var rules = string.Join(", ", _model.Rules.Where(r => (r.Steps.Contains(later.Id) || r.Steps.Contains(earlierId)) && solver.Solver.BooleanValue(r.Matched)).Select(r => "'" + r.Rule.Name + "'"));
                        var finding = Report(DiagnosticDescriptors.OrderingConflict, at, later.Id, "its period is counted back from the decision", earlierId, afterDecision, rules);
                        Counterexample(finding, solver.Solver, "a proposal that requires both steps");
                    }
                }
            }

            private void UnreachableSteps()
            {
                var possible = new HashSet<string>(StringComparer.Ordinal);
                var onlyDead = new Dictionary<string, List<string>>(StringComparer.Ordinal);
                foreach (var step in _definition.Steps.Keys)
                {
                    var requiring = _model.Rules.Where(r => r.Steps.Contains(step, StringComparer.Ordinal)).ToList();
                    if (requiring.Count == 0)
                    {
                        continue;
                    }

                    // A step some matchable rule requires is in that rule's witness's plan: no question needed.
                    var answer = requiring.Any(r => !r.InSubset || _witnesses.Any(w => w[IndexOf(r)]))
                        ? CpSolverStatus.Feasible
                        : Ask($"Step '{step}'", StepLocation(step), _model.Required(step));
                    if (answer == CpSolverStatus.Infeasible)
                    {
                        onlyDead[step] = requiring.Select(r => "'" + r.Rule.Name + "'").ToList();
                    }
                    else
                    {
                        // Unknown counts as possible: a step is reported only when no plan can hold it.
                        possible.Add(step);
                    }
                }

                // A step a possible step names as its urgency route can replace it in a plan, and so on down the chain.
                var queue = new Queue<string>(possible);
                while (queue.Count > 0)
                {
                    if (_definition.Steps.TryGetValue(queue.Dequeue(), out var step) && step.IfImpracticable is { } route && possible.Add(route))
                    {
                        queue.Enqueue(route);
                    }
                }

                foreach (var step in _definition.Steps.Keys.Where(s => !possible.Contains(s)))
                {
                    var why = onlyDead.TryGetValue(step, out var rules)
                        ? $"only rules that can never match require it ({string.Join(", ", rules)})"
                        : "no rule requires it";
                    Report(DiagnosticDescriptors.UnreachableStep, StepLocation(step), step, why);
                }
            }

            private int Properties()
            {
                if (_options.PropertiesFile is not { } path)
                {
                    return 0;
                }

                var bag = new DiagnosticBag();
                var properties = PropertyFile.Read(path, bag);
                _findings.AddRange(bag.Items);
                foreach (var property in properties)
                {
                    Tri formula;
                    try
                    {
                        formula = _model.EncodeProperty(property.Holds.Value);
                    }
                    catch (UnknownStepException e)
                    {
                        Report(DiagnosticDescriptors.UnknownStep, property.Holds.LocateInValue(e.Offset, e.Length), e.Step, NameSuggestions.DidYouMean(e.Step, _definition.Steps.Keys));
                        continue;
                    }
                    catch (OutsideSubsetException e)
                    {
                        Report(DiagnosticDescriptors.OutsideAnalysedSubset, property.Holds.LocateInValue(e.Offset, e.Length), $"Property '{property.Name}'", e.Message, "it was not checked");
                        continue;
                    }

                    // It fails when some proposal decides it and it is false.
                    using var solver = Solve(formula.Decided, formula.Value.Not());
                    if (solver.Status == CpSolverStatus.Infeasible)
                    {
                        continue;
                    }

                    if (solver.Status is not (CpSolverStatus.Feasible or CpSolverStatus.Optimal))
                    {
                        Undecided($"Property '{property.Name}'", property.NameLocation);
                        continue;
                    }

                    var finding = Report(DiagnosticDescriptors.PropertyFailed, property.NameLocation, property.Name, "a proposal breaks it" + (property.Description is null ? string.Empty : $" ({property.Description})"));
                    Counterexample(finding, solver.Solver, "a proposal that breaks property " + property.Name);
                }

                return properties.Count;
            }

            private void Counterexample(RuleDiagnostic finding, CpSolver solver, string title)
            {
                var number = _counterexamples.Count + 1;
                var name = $"{finding.Id}-{number.ToString(CultureInfo.InvariantCulture)}.json";
                var json = _model.Proposal.ToProposalJson(solver, $"counterexample-{finding.Id.ToLowerInvariant()}-{number}", title, _model.Encoder.TextLiterals);
                _counterexamples.Add(new AnalysisCounterexample(finding, name, json));
            }

            private CpSolverStatus Ask(string what, SourceLocation at, params ILiteral[] assumptions)
            {
                using var solver = Solve(assumptions);
                if (solver.Status is CpSolverStatus.Unknown or CpSolverStatus.ModelInvalid)
                {
                    Undecided(what, at);
                }

                return solver.Status;
            }

            private SolveResult Solve(params ILiteral[] assumptions) => Solve(_model.Model, assumptions);

            private SolveResult Solve(CpModel model, params ILiteral[] assumptions)
            {
                model.ClearAssumptions();
                model.AddAssumptions(assumptions);
                var solver = new CpSolver
                {
                    // One worker: the question is small, and the machine may be shared; deterministic answers too.
                    StringParameters = string.Create(CultureInfo.InvariantCulture, $"max_time_in_seconds:{_options.TimePerQuestion.TotalSeconds} num_workers:1"),
                };
                var status = solver.Solve(model);
                if (ReferenceEquals(model, _model.Model) && (status is CpSolverStatus.Feasible or CpSolverStatus.Optimal))
                {
                    _witnesses.Add(_model.Rules.Select(r => solver.BooleanValue(r.Matched)).ToArray());
                }

                return new SolveResult(solver, status);
            }

            private int IndexOf(ModelledRule rule)
            {
                _index ??= _model.Rules.Select((r, i) => (r, i)).ToDictionary(p => p.r, p => p.i);
                return _index[rule];
            }

            private Dictionary<ModelledRule, int>? _index;

            private void Undecided(string what, SourceLocation at) =>
                Report(DiagnosticDescriptors.OutsideAnalysedSubset, at, what, $"the solver did not settle it within {_options.TimePerQuestion.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s", "no finding rests on it");

            private RuleDiagnostic Report(DiagnosticDescriptor descriptor, SourceLocation at, params object?[] arguments)
            {
                var diagnostic = new RuleDiagnostic(descriptor, at, arguments);
                _findings.Add(diagnostic);
                return diagnostic;
            }

            private SourceLocation RuleSetFile()
            {
                var top = _definition.Layers[_definition.Layers.Count - 1];
                return new SourceLocation(Path.Combine(top.Directory, "ruleset.json"), 0, 1, 1, 1, 1, 2);
            }

            private SourceLocation StepLocation(string step)
            {
                if (_stepLocations.TryGetValue(step, out var known))
                {
                    return known;
                }

                // Step records keep no position, so the step's id is found in the catalogue of the rule set that defines it.
                var origin = _definition.StepOrigins.TryGetValue(step, out var name) ? name : _definition.Name;
                var layer = _definition.Layers.LastOrDefault(l => l.Name == origin) ?? _definition.Layers[_definition.Layers.Count - 1];
                var path = Path.Combine(layer.Directory, "catalogue.json");
                var location = new SourceLocation(path, 0, 0, 0, 0, 0, 0);
                if (File.Exists(path))
                {
                    var text = File.ReadAllText(path);
                    var quoted = "\"" + step + "\"";
                    var index = 0;
                    while ((index = text.IndexOf(quoted, index, StringComparison.Ordinal)) >= 0)
                    {
                        var before = text.Substring(0, index).TrimEnd();
                        if (before.EndsWith(':') && before.TrimEnd(':').TrimEnd().EndsWith("\"id\"", StringComparison.Ordinal))
                        {
                            location = new SourceDocument(path, text).Locate(index, quoted.Length);
                            break;
                        }

                        index += quoted.Length;
                    }
                }

                _stepLocations[step] = location;
                return location;
            }

            private static string Where(SourceLocation location) => location.HasPosition ? $"{Path.GetFileName(location.Path)}({location.Line},{location.Column})" : Path.GetFileName(location.Path);

            private static string Steps(IEnumerable<string> steps) => string.Join(", ", steps.Select(s => "'" + s + "'"));

            private const string Bounds = " (money up to £100bn in pence, counts up to 1,000,000, dates 1900–2199)";
        }

        private sealed class SolveResult : IDisposable
        {
            public SolveResult(CpSolver solver, CpSolverStatus status)
            {
                Solver = solver;
                Status = status;
            }

            public CpSolver Solver { get; }

            public CpSolverStatus Status { get; }

            public void Dispose() => Solver.Dispose();
        }
    }
}
