using System.Collections.Generic;

namespace DecisionRouting.Diagnostics
{
    /// <summary>
    /// Every diagnostic DecisionRouting reports, in one place. IDs are stable: never renumber or reuse one.
    /// The library loader, the CLI and the analyzer all report from this list; each ID has a page in
    /// <c>docs/rules/</c>.
    /// </summary>
    internal static class DiagnosticDescriptors
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

        /// <summary>DR0019: a rule-set folder that does not exist or cannot be read, an empty <c>extends</c>, or a chain of <c>extends</c> too deep (an <c>extends</c> naming no folder is DR0082).</summary>
        public static readonly DiagnosticDescriptor RuleSetNotFound = Error("DR0019", "Rule set not found", "{0}");

        /// <summary>DR0020: a rule that has neither an expression nor child rules, so it can never succeed (an empty workflow is DR0083, child rules without an Operator DR0084).</summary>
        public static readonly DiagnosticDescriptor RuleWithoutCondition = Error("DR0020", "Rule has no condition", "Rule '{0}' has no Expression and no child rules (Rules or WorkflowsToInject), so it can never match{1}");

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

        /// <summary>DR0028: a bank-holiday file whose england-and-wales division lists no events (a file that cannot be read is DR0085; a malformed entry has the ID of its problem).</summary>
        public static readonly DiagnosticDescriptor InvalidBankHolidays = Error("DR0028", "Invalid bank-holiday file", "The {0} division lists no events");

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

        /// <summary>DR0036: a proposal gives a declared attribute a value of the wrong type (a required one left out is DR0086).</summary>
        public static readonly DiagnosticDescriptor ProposalAttributeInvalid = Error("DR0036", "Proposal attribute invalid", "Attribute '{0}' must be {1}, as rule set '{2}' declares it, not {3}{4}");

        /// <summary>DR0037: a GlobalParam or LocalParam named as a rule-set parameter (a name defined twice in one list is DR0087, a reserved name DR0088, a LocalParam hiding a parameter in scope DR0089).</summary>
        public static readonly DiagnosticDescriptor ParameterNameCollision = Error("DR0037", "Parameter name collides", "{0} '{1}' has the name of the rule-set parameter '{1}' ({2}), which expressions read as 'parameters.{1}'{3}; a reader cannot tell which one '{1}' means. Rename it");

        /// <summary>DR0038: a GlobalParam of an injected workflow, which RulesEngine never evaluates.</summary>
        public static readonly DiagnosticDescriptor InjectedWorkflowGlobalParam = Error("DR0038", "GlobalParam of an injected workflow", "GlobalParam '{0}' is never evaluated: workflow '{1}' is injected by {2}, and injected rules run with the GlobalParams of the workflow that routes them, as in RulesEngine. Define it in the injecting workflow instead");

        /// <summary>DR0039: an expression, or a rule set's expressions together, may cost more than the evaluation budget for a proposal at its limits.</summary>
        public static readonly DiagnosticDescriptor ExpressionTooCostly = Error("DR0039", "Expression too costly", "{0}");

        /// <summary>DR0040: an expression may build text longer than the size bound.</summary>
        public static readonly DiagnosticDescriptor ExpressionTextTooLarge = Error("DR0040", "Expression text too large", "{0}");

        /// <summary>DR0041: a value is formatted with a format string outside the bounded list.</summary>
        public static readonly DiagnosticDescriptor UnboundedFormat = Error("DR0041", "Format not bounded", "{0}");

        /// <summary>DR0042: a consultation, sign-off or notice whose period runs from its start, with nothing ordering it against a decision.</summary>
        public static readonly DiagnosticDescriptor PeriodNotTiedToDecision = Warning("DR0042", "Period not tied to a decision", "Step '{0}' runs for {1}, but no 'after' or 'before' orders it against any decision step, so a plan cannot date it and a case may complete it after the decision; add \"before\": [ \"<decision step>\" ] (or \"after\"), or say what the period ends before with \"periodEndsBefore\"");

        /// <summary>DR0043: a replacing step leaves out an inherited ordering without dropping it explicitly.</summary>
        public static readonly DiagnosticDescriptor InheritedOrderingDropped = Error("DR0043", "Inherited ordering dropped", "Step '{0}' replaces the step in '{1}' but its '{2}' leaves out {3}; list {4} again, or leave '{2}' out to inherit it, or drop {5} on purpose with \"drops\": {{ \"{2}\": [ … ], \"reason\": …, \"source\": … }}");

        /// <summary>DR0044: an expression compares <c>parameters.executiveModel</c> with a value that is not an executive model.</summary>
        public static readonly DiagnosticDescriptor NotAnExecutiveModel = Error("DR0044", "Not an executive model", "\"{0}\" is not an executive model, so this comparison could never match; parameters.executiveModel is one of {1}");

        /// <summary>DR0045: two entries of a rule set's dated <c>executiveModel</c> timeline hold on the same day.</summary>
        public static readonly DiagnosticDescriptor ExecutiveModelsOverlap = Error("DR0045", "Executive models overlap", "Executive model '{0}' and executive model '{1}' (at {2}) both hold from {3}: a council operates one form of governance at a time (LGA 2000 s9B(1)), so which one a proposal's decision falls under would be ambiguous; make the earlier entry's 'until' the later one's 'from'");

        /// <summary>DR0046: days between two entries of a dated <c>executiveModel</c> timeline with no model.</summary>
        public static readonly DiagnosticDescriptor ExecutiveModelGap = Warning("DR0046", "Executive model timeline has a gap", "No executive model holds from {0} to {1}, between '{2}' and '{3}': a proposal decided on those days is routed as incomplete; make the earlier entry's 'until' the later one's 'from', or add the model that held");

        /// <summary>DR0055: a rule set's <c>executiveModel</c> names no known model.</summary>
        public static readonly DiagnosticDescriptor UnknownExecutiveModel = Error("DR0055", "Unknown executive model", "'{0}' is not an executive model; expected one of {1}");

        /// <summary>DR0047: a step's <c>periodEndsBeforeDate</c> names an attribute the rule set does not declare.</summary>
        public static readonly DiagnosticDescriptor PeriodDateAttributeNotDeclared = Error("DR0047", "Period counted back from an undeclared attribute", "Step '{0}' counts its period back from attribute '{1}', which the rule set does not declare{2}");

        /// <summary>DR0048: a step's <c>periodEndsBeforeDate</c> names a declared attribute that is not a date.</summary>
        public static readonly DiagnosticDescriptor PeriodDateAttributeNotDate = Error("DR0048", "Period counted back from an attribute that is not a date", "Step '{0}' counts its period back from attribute '{1}', which '{2}' declares as {3}; name a date attribute (\"type\": \"date\")");

        /// <summary>DR0049: a step with <c>periodEndsBeforeDate</c> has no period that runs from its own start.</summary>
        public static readonly DiagnosticDescriptor PeriodDateWithoutPeriod = Error("DR0049", "Date to count back from, but no period to count", "Step '{0}' counts back from attribute '{1}' but {2}; give it a \"duration\" that runs from its start (\"anchor\": \"FromStart\", the default for consultations and sign-offs; say it for a notice)");

        /// <summary>DR0050: <c>effective.on</c> names no declared date attribute, so the rule's period could not be judged.</summary>
        public static readonly DiagnosticDescriptor EffectiveOnNotDateAttribute = Error("DR0050", "Effective date attribute not declared", "'effective.on' of rule '{0}' names '{1}', which {2}; it must name a date attribute declared in ruleset.json (\"type\": \"date\"){3}");

        /// <summary>DR0051: two versions of one requirement are in force on the same day.</summary>
        public static readonly DiagnosticDescriptor RequirementVersionsOverlap = Error("DR0051", "Requirement versions overlap", "Rule '{0}' and rule '{1}' (at {2}) are both versions of requirement '{3}' and are both in force {4}; a day must have at most one version: make one's 'until' the other's 'from'");

        /// <summary>DR0052: a requirement's versions leave days with no version in force inside its span.</summary>
        public static readonly DiagnosticDescriptor RequirementVersionsGap = Warning("DR0052", "Requirement has a gap", "Requirement '{0}' has no version in force {1}, between rule '{2}' and rule '{3}'; a proposal dated then gets neither: close the gap, or give the law that applied then its own version");

        /// <summary>DR0053: a dated rule requires a step that is not in force for the whole of the rule's period.</summary>
        public static readonly DiagnosticDescriptor StepNotInForceForRule = Error("DR0053", "Step not in force for the rule's period", "Rule '{0}' is in force {1} but requires step '{2}', which is in force only {3}; a plan in the difference would require a step whose law does not apply: narrow the rule's period, or widen or remove the step's");

        /// <summary>DR0054: the versions of one requirement are not all dated, or are judged against different dates.</summary>
        public static readonly DiagnosticDescriptor RequirementVersionsNotComparable = Error("DR0054", "Requirement versions not comparable", "Rule '{0}' is a version of requirement '{1}' but {2}; versions of one requirement each need an 'effective' period judged against the same date, so the loader can tell which applies on a day");

        /// <summary>DR0058: workflow injection expands an entry workflow to more rules than the bound.</summary>
        public static readonly DiagnosticDescriptor InjectionTooLarge = Error("DR0058", "Injection expands too far", "{0}");

        /// <summary>DR0069: the expression text the evaluators compile, every injected copy counted, is over the bound.</summary>
        public static readonly DiagnosticDescriptor CompiledTextTooLarge = Error("DR0069", "Too much expression text to compile", "{0}");

        /// <summary>DR0070: injected workflows would be compiled in more distinct scopes than the bound, because injecting rules define LocalParams the injected rules read.</summary>
        public static readonly DiagnosticDescriptor TooManyCompiledScopes = Error("DR0070", "Injected workflows need too many compiled scopes", "{0}");

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

        /// <summary>DR0068: a name or identifier (step, body, role, rule, workflow, parameter, attribute, rule set) holding a control character or a line or paragraph separator.</summary>
        public static readonly DiagnosticDescriptor ControlCharacterInName = Error("DR0068", "Control character in a name", "{0} '{1}' contains {2}: a name is shown on one line wherever it appears (plans, histories, diagnostics, graphs), where a control character could start a forged line or hide text; remove it");

        /// <summary>DR0059: a rule-set folder holds more rule files, or a rule set more bytes of rule files, than the bounds (<see cref="RuleSets.RuleSetBounds"/>).</summary>
        public static readonly DiagnosticDescriptor RuleFilesTooMany = Error("DR0059", "Too many rule files", "{0}");

        /// <summary>DR0060: a rule set has more workflows, rules, parameters or steps, or a longer chain of step orderings, than the bounds (<see cref="RuleSets.RuleSetBounds"/>).</summary>
        public static readonly DiagnosticDescriptor RuleSetTooLarge = Error("DR0060", "Rule set too large", "{0}");

        // DR0056, DR0057, DR0061 and DR0071–DR0080 were split out of the catch-alls DR0018 "Invalid value" and DR0026
        // "Invalid proposal" (2026-11), so that each problem has its own ID, page and severity setting. The cases left
        // behind keep the old IDs; docs/rules/DR0018.md and DR0026.md say which case moved where.

        /// <summary>DR0056: a value that must name one of a fixed set (a step or body kind, a counting mode, an anchor, a decision-maker, a proposal kind, a statutory role, an attribute type, RuleExpressionType, ErrorType) names none of them.</summary>
        public static readonly DiagnosticDescriptor NotAnAllowedValue = Error("DR0056", "Not one of the allowed values", "{0}");

        /// <summary>DR0057: a rule's <c>Operator</c> is not And, AndAlso, Or or OrElse (RulesEngine accepts "and" and then treats the rule as a leaf with no expression).</summary>
        public static readonly DiagnosticDescriptor UnknownOperator = Error("DR0057", "Unknown Operator", "'{0}' is not a valid Operator; expected one of {1}{2}");

        /// <summary>DR0061: a rule with both an <c>Expression</c> and child rules, whose Expression RulesEngine would ignore.</summary>
        public static readonly DiagnosticDescriptor ExpressionWithChildRules = Error("DR0061", "Expression together with child rules", "Rule '{0}' has both an Expression and child rules; RulesEngine would ignore the Expression");

        /// <summary>DR0071: a step that names both a body and a role.</summary>
        public static readonly DiagnosticDescriptor StepWithBodyAndRole = Error("DR0071", "Step has both a body and a role", "Step '{0}' names both a body and a role; a step is performed by one or the other");

        /// <summary>DR0072: a date not written <c>yyyy-MM-dd</c>, or a time of day not written <c>HH:mm</c>.</summary>
        public static readonly DiagnosticDescriptor DateOrTimeNotIso = Error("DR0072", "Date or time not in ISO form", "{0}");

        /// <summary>DR0073: a number outside what the property allows (a fraction where a whole number belongs, below the minimum, above the maximum, negative money, an exempt paragraph outside 1–7).</summary>
        public static readonly DiagnosticDescriptor NumberOutOfRange = Error("DR0073", "Number out of range", "{0}");

        /// <summary>DR0074: a dated range (an effective period, an executive model, a body's existence, a proposal's schedule entry) that ends before it begins.</summary>
        public static readonly DiagnosticDescriptor DateRangeBackwards = Error("DR0074", "Date range ends before it begins", "{0}");

        /// <summary>DR0075: a name, id or text that must not be blank is empty or only spaces.</summary>
        public static readonly DiagnosticDescriptor EmptyName = Error("DR0075", "Empty name", "{0}");

        /// <summary>DR0076: a step, body or role says <c>"replaces": true</c>, but no rule set it extends defines it.</summary>
        public static readonly DiagnosticDescriptor ReplacesNothing = Error("DR0076", "Replacement replaces nothing", "{0} '{1}' says it replaces an inherited {2}, but no rule set it extends defines '{1}'");

        /// <summary>DR0077: a step's <c>drops</c> that does not fit the step it replaces (drops what it does not have, drops and keeps one entry, or is on a step that replaces nothing).</summary>
        public static readonly DiagnosticDescriptor DropDoesNotFit = Error("DR0077", "Drop does not fit the replaced step", "{0}");

        /// <summary>DR0078: <c>effective</c> or <c>requirement</c> on a nested rule, where it is never read.</summary>
        public static readonly DiagnosticDescriptor NestedRuleDated = Error("DR0078", "Dating on a nested rule is never read", "'{0}' on nested rule '{1}' is never read: {2}");

        /// <summary>DR0079: a proposal file that does not exist or cannot be read.</summary>
        public static readonly DiagnosticDescriptor ProposalFileUnreadable = Error("DR0079", "Proposal file cannot be read", "{0}");

        /// <summary>DR0080: a proposal larger than <see cref="Expressions.ProposalLimits"/> allows (a text, list or map too long), read from a file or built in code.</summary>
        public static readonly DiagnosticDescriptor ProposalTooLarge = Error("DR0080", "Proposal over the size limits", "{0}");

        /// <summary>DR0081: building RulesEngine's evaluator (the opt-in <c>RoutingEvaluation.RulesEngine</c>) over the rule set would cost more than the bound, rules × names in scope; reported only when that evaluator is asked for.</summary>
        public static readonly DiagnosticDescriptor RulesEngineTooCostly = Error("DR0081", "Too costly for the RulesEngine evaluator", "{0}");

        // DR0082–DR0089 were split out of the catch-alls DR0019, DR0020, DR0028, DR0036 and DR0037 (2026-11), as above.

        /// <summary>DR0082: an <c>extends</c> that names a folder that does not exist, or a file.</summary>
        public static readonly DiagnosticDescriptor ExtendedRuleSetNotFound = Error("DR0082", "Extended rule set not found", "Rule set extends '{0}', which {1}{2}");

        /// <summary>DR0083: a workflow with no rules that injects no workflows, so it can never match.</summary>
        public static readonly DiagnosticDescriptor EmptyWorkflow = Error("DR0083", "Workflow has no rules", "Workflow '{0}' has no rules and injects no workflows");

        /// <summary>DR0084: a rule with child rules or injected workflows but no <c>Operator</c> to combine them.</summary>
        public static readonly DiagnosticDescriptor ChildRulesWithoutOperator = Error("DR0084", "Child rules without an Operator", "Rule '{0}' has child rules but no Operator to combine them ({1})");

        /// <summary>DR0085: a bank-holiday file that does not exist or cannot be read.</summary>
        public static readonly DiagnosticDescriptor BankHolidaysUnreadable = Error("DR0085", "Bank-holiday file cannot be read", "Bank-holiday file '{0}' {1}");

        /// <summary>DR0086: a proposal that leaves out an attribute its rule set declares as required.</summary>
        public static readonly DiagnosticDescriptor RequiredAttributeMissing = Error("DR0086", "Required attribute missing", "The proposal must give attribute '{0}' ({1}): rule set '{2}' requires it ({3}; declared in '{4}')");

        /// <summary>DR0087: a GlobalParam or LocalParam whose name an earlier entry of the same list already has.</summary>
        public static readonly DiagnosticDescriptor ParameterDefinedTwice = Error("DR0087", "Parameter defined twice", "{0} '{1}' is defined more than once in this list (first at {2}){3}; RulesEngine 6.0.1 rejects duplicate names");

        /// <summary>DR0088: a GlobalParam or LocalParam named as an input, a type or a keyword of the expression language.</summary>
        public static readonly DiagnosticDescriptor ParameterNameReserved = Error("DR0088", "Parameter has a reserved name", "{0} '{1}' has the name of {2}; RulesEngine would reject or shadow it. Rename it");

        /// <summary>DR0089: a LocalParam named as a GlobalParam or LocalParam its rule also sees (of the workflow, an enclosing rule or an injecting rule).</summary>
        public static readonly DiagnosticDescriptor LocalParamHidesParameter = Error("DR0089", "LocalParam hides a parameter in scope", "LocalParam '{0}' has the name of {1} ({2}), which this rule also sees{3}; rename one of them");

        /// <summary>DR0090: a period's cut-off is a time of day London's clocks skip or show twice on some day (issue 14 N5).</summary>
        public static readonly DiagnosticDescriptor CutOffInClockChange = Warning("DR0090", "Cut-off in a clock change", "'cutOff' {0} is not a single moment every day: {1}; on such a day the period closes the first moment the clocks show {0} or later. Choose a time outside {2}, when London's clocks change");

        /// <summary>DR0091: a <c>source</c>, <c>reason</c> or <c>warning</c> that still holds the <c>FILL IN:</c> placeholder <c>decision-routing new</c> wrote (<see cref="Text.Placeholder"/>).</summary>
        public static readonly DiagnosticDescriptor PlaceholderNotFilledIn = Error("DR0091", "Placeholder not filled in", "'{0}' of {1} still holds the 'FILL IN:' placeholder that 'decision-routing new' wrote: {2}");

        /// <summary>
        /// DR0092: a file the publication commands read (<c>forward-plan --publication</c>, <c>notice --record</c>) does not
        /// exist, is a folder, or cannot be read. A file refused for what it is (a device, over the size limit) is DR0062.
        /// </summary>
        public static readonly DiagnosticDescriptor PublicationFileUnreadable = Error("DR0092", "Publication input file cannot be read", "{0} '{1}' {2}");

        /// <summary>DR0093: a rule-set reference <c>baseline:&lt;name&gt;</c> (in <c>extends</c>, or as the folder to load) naming no built-in baseline.</summary>
        public static readonly DiagnosticDescriptor UnknownBaseline = Error("DR0093", "Unknown baseline", "{0} '{1}': {2}; the baselines built into DecisionRouting are {3}{4}{5}");

        /// <summary>DR0094: an <c>extends</c> (or folder to load) written as <c>word:…</c> with a scheme other than <c>baseline:</c>, such as <c>package:</c> or a misspelt <c>basline:</c>.</summary>
        public static readonly DiagnosticDescriptor UnknownReferenceScheme = Error("DR0094", "Not a rule-set reference", "{0} '{1}' starts with '{2}:', which is not a rule-set reference: {3}{4}");

        /// <summary>DR0095 (rule-set analysis): a step that must be done before the decision is ordered after a step that comes after it, and one proposal can require both.</summary>
        public static readonly DiagnosticDescriptor OrderingConflict = Warning("DR0095", "Ordering conflict", "Step '{0}' must be done before the decision ({1}), but it is ordered after '{2}', which comes after the decision ({3}); one proposal can require both (rules {4}), so its plan cannot be kept");

        /// <summary>DR0096 (rule-set analysis): a decision-maker or proposal kind for which no rule requires any approval step.</summary>
        public static readonly DiagnosticDescriptor ApprovalGap = Warning("DR0096", "No approval step", "A proposal {0} can get no approval step: {1}");

        /// <summary>DR0097 (rule-set analysis): a rule no proposal can match.</summary>
        public static readonly DiagnosticDescriptor DeadRule = Warning("DR0097", "Rule can never match", "Rule '{0}' can never match: no proposal both decides its condition and satisfies it{1}");

        /// <summary>DR0098 (rule-set analysis): a rule whose steps another rule always requires whenever it matches.</summary>
        public static readonly DiagnosticDescriptor ShadowedRule = Warning("DR0098", "Rule shadowed", "Rule '{0}' is shadowed: every proposal that matches it also matches {1}, which already requires {2}");

        /// <summary>DR0099 (rule-set analysis): a property from a properties file that some proposal breaks.</summary>
        public static readonly DiagnosticDescriptor PropertyFailed = Warning("DR0099", "Property does not hold", "Property '{0}' does not hold: {1}");

        /// <summary>DR0100 (rule-set analysis): a catalogue step no rule can require and no urgency route leads to.</summary>
        public static readonly DiagnosticDescriptor UnreachableStep = Warning("DR0100", "Step never required", "Step '{0}' is never in a plan: {1}, and no required step names it as its urgency route (ifImpracticable)");

        /// <summary>DR0101 (rule-set analysis): a rule (or property) outside the subset the analysis decides, so it was not checked.</summary>
        public static readonly DiagnosticDescriptor OutsideAnalysedSubset = Warning("DR0101", "Not analysed", "{0} is outside the subset the analysis decides: {1}; {2}");

        /// <summary>All descriptors, in ID order (the release-tracking file and the analyzer list them in the same order).</summary>
        public static IReadOnlyList<DiagnosticDescriptor> All { get; } = new[]
        {
            MalformedJson, UnknownProperty, WrongValueType, MissingProperty, DuplicateRuleName, DuplicateStepId,
            DuplicateBodyOrRoleId, DuplicateWorkflowName, ExpressionSyntax, UnknownMember, ExpressionNotBoolean,
            UnknownStep, UnknownBodyOrRole, UnknownWorkflow, StepOrderingCycle, WorkflowInjectionCycle, PeriodShortened,
            InvalidValue, RuleSetNotFound, RuleWithoutCondition, DuplicateJsonProperty, MissingSource,
            ParallelGroupOrdered, NoRuleFiles, ExtendsCycle, InvalidProposal, IgnoredFile, InvalidBankHolidays, ExpressionNotAllowed, ExpressionTooComplex, UnknownReference,
            UndeclaredAttribute, AttributeAccessorMismatch, AttributeReadNotCheckable, ProposalAttributeNotDeclared, ProposalAttributeInvalid, ParameterNameCollision, InjectedWorkflowGlobalParam, ExpressionTooCostly, ExpressionTextTooLarge, UnboundedFormat, PeriodNotTiedToDecision, InheritedOrderingDropped, NotAnExecutiveModel,
            ExecutiveModelsOverlap, ExecutiveModelGap,
            PeriodDateAttributeNotDeclared, PeriodDateAttributeNotDate, PeriodDateWithoutPeriod,
            EffectiveOnNotDateAttribute, RequirementVersionsOverlap, RequirementVersionsGap, StepNotInForceForRule, RequirementVersionsNotComparable,
            UnknownExecutiveModel, NotAnAllowedValue, UnknownOperator,
            InjectionTooLarge, RuleFilesTooMany, RuleSetTooLarge, ExpressionWithChildRules,
            FileRefused, ExtendsOutsideRoot, HiddenDirectionControl, MixedScriptIdentifier, ParameterOverridesNothing, DateOutOfRange,
            ControlCharacterInName, CompiledTextTooLarge, TooManyCompiledScopes,
            StepWithBodyAndRole, DateOrTimeNotIso, NumberOutOfRange,
            DateRangeBackwards, EmptyName, ReplacesNothing, DropDoesNotFit, NestedRuleDated, ProposalFileUnreadable, ProposalTooLarge, RulesEngineTooCostly,
            ExtendedRuleSetNotFound, EmptyWorkflow, ChildRulesWithoutOperator, BankHolidaysUnreadable, RequiredAttributeMissing,
            ParameterDefinedTwice, ParameterNameReserved, LocalParamHidesParameter, CutOffInClockChange, PlaceholderNotFilledIn, PublicationFileUnreadable,
            UnknownBaseline, UnknownReferenceScheme,
            OrderingConflict, ApprovalGap, DeadRule, ShadowedRule, PropertyFailed, UnreachableStep, OutsideAnalysedSubset,
        };

        private static DiagnosticDescriptor Error(string id, string title, string format) => new(id, title, format, DiagnosticSeverity.Error);

        private static DiagnosticDescriptor Warning(string id, string title, string format) => new(id, title, format, DiagnosticSeverity.Warning);
    }
}
