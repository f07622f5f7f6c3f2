using System.Collections.Generic;

namespace DecisionRouting.Diagnostics
{
    /// <summary>
    /// Every diagnostic DecisionRouting reports, in one place. IDs are stable: never renumber or reuse one.
    /// The library loader, the CLI and the analyzer all report from this list; each ID has a page in
    /// <c>docs/rules/</c>.
    /// </summary>
    public static class DiagnosticDescriptors
    {
        /// <summary>Where the per-rule documentation pages live.</summary>
        public const string HelpLinkBase = "https://github.com/decision-routing/decision-routing/blob/main/docs/rules/";

        /// <summary>DR0001: the file is not valid JSON.</summary>
        public static readonly DiagnosticDescriptor MalformedJson = Error("DR0001", "Malformed JSON", "Malformed JSON: {0}");

        /// <summary>DR0002: a property the format does not define (RulesEngine would silently ignore it).</summary>
        public static readonly DiagnosticDescriptor UnknownProperty = Error("DR0002", "Unknown property", "Unknown property '{0}' in {1}{2}");

        /// <summary>DR0003: a value of the wrong JSON type.</summary>
        public static readonly DiagnosticDescriptor WrongValueType = Error("DR0003", "Wrong value type", "'{0}' must be {1}, not {2}");

        /// <summary>DR0004: a required property is absent.</summary>
        public static readonly DiagnosticDescriptor MissingProperty = Error("DR0004", "Missing required property", "{0} is missing required property '{1}'");

        /// <summary>DR0005: two rules with one name in a workflow (RulesEngine throws on first execution).</summary>
        public static readonly DiagnosticDescriptor DuplicateRuleName = Error("DR0005", "Duplicate rule name", "Rule name '{0}' is used more than once in workflow '{1}' (first at {2})");

        /// <summary>DR0006: two steps with one id.</summary>
        public static readonly DiagnosticDescriptor DuplicateStepId = Error("DR0006", "Duplicate step id", "Step id '{0}' is defined more than once (first at {1}){2}");

        /// <summary>DR0007: two bodies or roles with one id.</summary>
        public static readonly DiagnosticDescriptor DuplicateBodyOrRoleId = Error("DR0007", "Duplicate body or role id", "{0} id '{1}' is defined more than once (first at {2})");

        /// <summary>DR0008: two workflows with one name.</summary>
        public static readonly DiagnosticDescriptor DuplicateWorkflowName = Error("DR0008", "Duplicate workflow name", "Workflow name '{0}' is used more than once (first at {1})");

        /// <summary>DR0009: an expression that does not parse.</summary>
        public static readonly DiagnosticDescriptor ExpressionSyntax = Error("DR0009", "Expression does not compile", "Expression does not compile: {0}");

        /// <summary>DR0010: an expression names a proposal member, parameter or identifier that does not exist.</summary>
        public static readonly DiagnosticDescriptor UnknownMember = Error("DR0010", "Unknown member in expression", "{0}{1}");

        /// <summary>DR0011: a rule expression that is not true/false.</summary>
        public static readonly DiagnosticDescriptor ExpressionNotBoolean = Error("DR0011", "Expression is not boolean", "Rule expression must be true or false, but this one gives {0}");

        /// <summary>DR0012: a reference to a step the catalogue does not define.</summary>
        public static readonly DiagnosticDescriptor UnknownStep = Error("DR0012", "Unknown step", "Unknown step '{0}'{1}");

        /// <summary>DR0013: a reference to a body or role the catalogue does not define.</summary>
        public static readonly DiagnosticDescriptor UnknownBodyOrRole = Error("DR0013", "Unknown body or role", "Unknown {0} '{1}'{2}");

        /// <summary>DR0014: a reference to a workflow that does not exist.</summary>
        public static readonly DiagnosticDescriptor UnknownWorkflow = Error("DR0014", "Unknown workflow", "Unknown workflow '{0}'{1}");

        /// <summary>DR0015: step ordering that goes round in a circle.</summary>
        public static readonly DiagnosticDescriptor StepOrderingCycle = Error("DR0015", "Cycle in step ordering", "Step ordering is circular: {0}");

        /// <summary>DR0016: workflow injection that goes round in a circle.</summary>
        public static readonly DiagnosticDescriptor WorkflowInjectionCycle = Error("DR0016", "Cycle in workflow injection", "Workflow injection is circular: {0}");

        /// <summary>DR0017: a local rule set shortens a period set by the rule set it extends.</summary>
        public static readonly DiagnosticDescriptor PeriodShortened = Error("DR0017", "Period shortened", "Step '{0}' is {1} here but {2} in '{3}' ({4}); a local rule set may lengthen a period, never shorten it");

        /// <summary>DR0018: a value outside what the property allows.</summary>
        public static readonly DiagnosticDescriptor InvalidValue = Error("DR0018", "Invalid value", "{0}");

        /// <summary>DR0019: a rule set, or the rule set it extends, cannot be found.</summary>
        public static readonly DiagnosticDescriptor RuleSetNotFound = Error("DR0019", "Rule set not found", "{0}");

        /// <summary>DR0020: a rule that has neither an expression nor child rules, so it can never succeed.</summary>
        public static readonly DiagnosticDescriptor RuleWithoutCondition = Error("DR0020", "Rule has no condition", "{0}");

        /// <summary>DR0021: the same property twice in one JSON object (only the last would count).</summary>
        public static readonly DiagnosticDescriptor DuplicateJsonProperty = Error("DR0021", "Duplicate property", "Property '{0}' appears more than once in this object (first at {1})");

        /// <summary>DR0022: a rule requires steps but cites no source.</summary>
        public static readonly DiagnosticDescriptor MissingSource = Warning("DR0022", "Rule cites no source", "Rule '{0}' requires steps but cites no source; add Properties.source (statute and section, or constitution and paragraph)");

        /// <summary>DR0023: two steps in one parallel group are ordered against each other.</summary>
        public static readonly DiagnosticDescriptor ParallelGroupOrdered = Error("DR0023", "Parallel group is ordered", "Step '{0}' is in parallel group '{1}' with '{2}' but must come after it; remove the ordering or the group");

        /// <summary>DR0024: a rule set with no rule files.</summary>
        public static readonly DiagnosticDescriptor NoRuleFiles = Error("DR0024", "No rule files", "Rule set '{0}' has no *.rules.json files");

        /// <summary>DR0025: a chain of rule sets that extends itself.</summary>
        public static readonly DiagnosticDescriptor ExtendsCycle = Error("DR0025", "Rule set extends itself", "Rule sets extend each other in a circle: {0}");

        /// <summary>DR0026: a proposal file that does not fit the proposal format.</summary>
        public static readonly DiagnosticDescriptor InvalidProposal = Error("DR0026", "Invalid proposal", "{0}");

        /// <summary>DR0027: a JSON file in a rule-set folder that the loader does not read (a misnamed rule file, usually).</summary>
        public static readonly DiagnosticDescriptor IgnoredFile = Warning("DR0027", "File is not read", "'{0}' is not read: rule files must end in .rules.json, and the only other files read are ruleset.json and catalogue.json{1}");

        /// <summary>DR0028: a bank-holiday file is not in the gov.uk format, or a date in it is invalid.</summary>
        public static readonly DiagnosticDescriptor InvalidBankHolidays = Error("DR0028", "Invalid bank-holiday file", "{0}");

        /// <summary>DR0029: an expression reaches something outside the allow-list (reflection, I/O, unbounded work).</summary>
        public static readonly DiagnosticDescriptor ExpressionNotAllowed = Error("DR0029", "Expression not allowed", "{0}");

        /// <summary>DR0030: an expression is longer or more deeply nested than the limits allow.</summary>
        public static readonly DiagnosticDescriptor ExpressionTooComplex = Error("DR0030", "Expression too complex", "{0}");

        /// <summary>DR0031: C# code names a step, body, rule or workflow that the rule files do not define.</summary>
        public static readonly DiagnosticDescriptor UnknownReference = Error("DR0031", "Unknown rule-file reference", "The rule files define no {0} '{1}'{2}");

        /// <summary>DR0032: an expression reads a proposal attribute that the rule set does not declare.</summary>
        public static readonly DiagnosticDescriptor UndeclaredAttribute = Error("DR0032", "Undeclared attribute", "Attribute '{0}' is not declared in the rule set's ruleset.json \"attributes\"{1}");

        /// <summary>DR0033: an expression reads a declared attribute with the accessor of another type (Number on a text attribute).</summary>
        public static readonly DiagnosticDescriptor AttributeAccessorMismatch = Error("DR0033", "Attribute read with the wrong accessor", "Attribute '{0}' is declared as {1} in '{2}', so read it with Attributes.{3}(…), not Attributes.{4}(…)");

        /// <summary>DR0034: an attribute read that cannot be checked against the declarations (a computed name, the bag used as a value).</summary>
        public static readonly DiagnosticDescriptor AttributeReadNotCheckable = Error("DR0034", "Attribute read cannot be checked", "{0}");

        /// <summary>DR0035: a proposal gives an attribute that the rule set does not declare, so no rule reads it.</summary>
        public static readonly DiagnosticDescriptor ProposalAttributeNotDeclared = Warning("DR0035", "Proposal attribute not declared", "Attribute '{0}' is not declared by rule set '{1}', so no rule reads it{2}");

        /// <summary>DR0036: a proposal gives a declared attribute a value of the wrong type, or omits a required one.</summary>
        public static readonly DiagnosticDescriptor ProposalAttributeInvalid = Error("DR0036", "Proposal attribute invalid", "{0}");

        /// <summary>DR0037: a GlobalParam or LocalParam whose name is already taken in its scope (an input, a type, a keyword, a rule-set parameter, another parameter).</summary>
        public static readonly DiagnosticDescriptor ParameterNameCollision = Error("DR0037", "Parameter name collides", "{0}");

        /// <summary>DR0038: a GlobalParam of an injected workflow, which RulesEngine never evaluates.</summary>
        public static readonly DiagnosticDescriptor InjectedWorkflowGlobalParam = Error("DR0038", "GlobalParam of an injected workflow", "GlobalParam '{0}' is never evaluated: workflow '{1}' is injected by {2}, and injected rules run with the GlobalParams of the workflow that routes them, as in RulesEngine. Define it in the injecting workflow instead");

        /// <summary>DR0042: a consultation, sign-off or notice whose period runs from its start, with nothing ordering it against a decision.</summary>
        public static readonly DiagnosticDescriptor PeriodNotTiedToDecision = Warning("DR0042", "Period not tied to a decision", "Step '{0}' runs for {1}, but no 'after' or 'before' orders it against any decision step, so a plan cannot date it and a case may complete it after the decision; add \"before\": [ \"<decision step>\" ] (or \"after\"), or say what the period ends before with \"periodEndsBefore\"");

        /// <summary>DR0043: a replacing step leaves out an inherited ordering without dropping it explicitly.</summary>
        public static readonly DiagnosticDescriptor InheritedOrderingDropped = Error("DR0043", "Inherited ordering dropped", "Step '{0}' replaces the step in '{1}' but its '{2}' leaves out {3}; list {4} again, or leave '{2}' out to inherit it, or drop {5} on purpose with \"drops\": {{ \"{2}\": [ … ], \"reason\": …, \"source\": … }}");

        /// <summary>DR0062: a rule file that is not read because of what it is: a symlink leading outside the rule tree, a device, pipe or other special file, or a file over the size limit.</summary>
        public static readonly DiagnosticDescriptor FileRefused = Error("DR0062", "File refused", "'{0}' is not read: {1}");

        /// <summary>DR0063: an <c>extends</c> that leads outside the rule tree's root, or an absolute one that is not allowed.</summary>
        public static readonly DiagnosticDescriptor ExtendsOutsideRoot = Error("DR0063", "Extends leads outside the rule tree", "{0}");

        /// <summary>DR0064: a hidden text-direction control character in a rule file (the "Trojan Source" trick).</summary>
        public static readonly DiagnosticDescriptor HiddenDirectionControl = Error("DR0064", "Hidden text-direction character", "Hidden text-direction character {0} ({1}): it makes the file display differently from how it is read; remove it");

        /// <summary>DR0065: an identifier (rule, step, parameter, attribute, workflow …) whose letters come from more than one script.</summary>
        public static readonly DiagnosticDescriptor MixedScriptIdentifier = Error("DR0065", "Identifier mixes scripts", "{0} '{1}' mixes letters of {2}: it looks like another name but is not; write it in one script{3}");

        /// <summary>DR0066: a parameter in an extending rule set that overrides no inherited parameter and that no expression reads.</summary>
        public static readonly DiagnosticDescriptor ParameterOverridesNothing = Warning("DR0066", "Parameter overrides nothing", "Parameter '{0}' overrides no parameter of the rule sets '{1}' extends, and no rule reads it, so it changes nothing{2}");

        /// <summary>DR0067: a date outside the supported range, or a period longer than the supported maximum.</summary>
        public static readonly DiagnosticDescriptor DateOutOfRange = Error("DR0067", "Date outside the supported range", "{0}");

        /// <summary>All descriptors, in ID order.</summary>
        public static IReadOnlyList<DiagnosticDescriptor> All { get; } = new[]
        {
            MalformedJson, UnknownProperty, WrongValueType, MissingProperty, DuplicateRuleName, DuplicateStepId,
            DuplicateBodyOrRoleId, DuplicateWorkflowName, ExpressionSyntax, UnknownMember, ExpressionNotBoolean,
            UnknownStep, UnknownBodyOrRole, UnknownWorkflow, StepOrderingCycle, WorkflowInjectionCycle, PeriodShortened,
            InvalidValue, RuleSetNotFound, RuleWithoutCondition, DuplicateJsonProperty, MissingSource,
            ParallelGroupOrdered, NoRuleFiles, ExtendsCycle, InvalidProposal, IgnoredFile, InvalidBankHolidays, ExpressionNotAllowed, ExpressionTooComplex, UnknownReference,
            UndeclaredAttribute, AttributeAccessorMismatch, AttributeReadNotCheckable, ProposalAttributeNotDeclared, ProposalAttributeInvalid, ParameterNameCollision, InjectedWorkflowGlobalParam, PeriodNotTiedToDecision, InheritedOrderingDropped,
            FileRefused, ExtendsOutsideRoot, HiddenDirectionControl, MixedScriptIdentifier, ParameterOverridesNothing, DateOutOfRange,
        };

        private static DiagnosticDescriptor Error(string id, string title, string format) => new(id, title, format, DiagnosticSeverity.Error);

        private static DiagnosticDescriptor Warning(string id, string title, string format) => new(id, title, format, DiagnosticSeverity.Warning);
    }
}
