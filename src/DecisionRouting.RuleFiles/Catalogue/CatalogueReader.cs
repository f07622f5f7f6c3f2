using System.Collections.Generic;
using DecisionRouting.Diagnostics;
using DecisionRouting.Json;
using DecisionRouting.RuleSets;
using DecisionRouting.Text;
using NodaTime;
using NodaTime.Text;

namespace DecisionRouting.Catalogue
{
    /// <summary>A body, role or step as declared in one layer's catalogue, with where it was declared.</summary>
    internal sealed record Declared<T>(T Value, SourceLocation IdLocation, string RuleSet, bool Replaces);

    /// <summary>
    /// A step's declaration, keeping the reference nodes so cross-checks can point at them. <c>AfterLocation</c> and
    /// <c>BeforeLocation</c> are null when the property was omitted (a replacement then inherits the list).
    /// </summary>
    internal sealed record StepDeclaration(
        Step Step,
        SourceLocation IdLocation,
        string RuleSet,
        bool Replaces,
        JsonString? BodyNode,
        JsonString? RoleNode,
        IReadOnlyList<JsonString> AfterNodes,
        SourceLocation? DurationLocation,
        JsonString? IfImpracticableNode)
    {
        public SourceLocation? AfterLocation { get; init; }

        public IReadOnlyList<JsonString> BeforeNodes { get; init; } = System.Array.Empty<JsonString>();

        public SourceLocation? BeforeLocation { get; init; }

        /// <summary>What a replacing step gives up from the step it replaces, said out loud; null when nothing.</summary>
        public StepDrops? Drops { get; init; }

        /// <summary>Where <c>periodEndsBeforeDate</c> names its attribute, so DR0047–DR0049 point at the name.</summary>
        public JsonString? PeriodEndsBeforeDateNode { get; init; }
    }

    /// <summary>
    /// A replacing step's <c>drops</c>: inherited predecessors, successors, urgency alternative or parallel group it
    /// removes on purpose, with the reason and the source that allows it.
    /// </summary>
    internal sealed record StepDrops(
        SourceLocation Location,
        IReadOnlyList<JsonString> After,
        IReadOnlyList<JsonString> Before,
        SourceLocation? IfImpracticable,
        SourceLocation? ParallelGroup);

    /// <summary>What one layer's <c>catalogue.json</c> declares.</summary>
    internal sealed class CatalogueContent
    {
        public List<Declared<Body>> Bodies { get; } = new();

        public List<Declared<Role>> Roles { get; } = new();

        public List<StepDeclaration> Steps { get; } = new();

        /// <summary>
        /// The file exists but could not be read as a catalogue (malformed JSON, not an object): everything it declares
        /// is missing, so references to it elsewhere would all be knock-on errors.
        /// </summary>
        public bool Unreadable { get; init; }
    }

    /// <summary>Reads a layer's <c>catalogue.json</c>: the bodies, roles and steps its rules may name.</summary>
    internal static class CatalogueReader
    {
        public static CatalogueContent Read(RuleSetLayer layer, IRuleSetFileSystem files, DiagnosticBag diagnostics)
        {
            var content = new CatalogueContent();
            var path = RulePaths.Combine(layer.Directory, RulePaths.CatalogueFile);
            var text = files.ReadAllText(path);
            if (text is null)
            {
                return content;
            }

            var root = ParsedDocument.ParseRuleFile(new SourceDocument(path, text), diagnostics);
            if (root is null || ObjectReader.For(root, "catalogue.json", "catalogue.json", diagnostics) is not { } reader)
            {
                return new CatalogueContent { Unreadable = true };
            }

            reader.Allow("$schema", "description");
            foreach (var item in Items(reader, "bodies"))
            {
                ReadBody(item, layer.Name, diagnostics, content);
            }

            foreach (var item in Items(reader, "roles"))
            {
                ReadRole(item, layer.Name, diagnostics, content);
            }

            foreach (var item in Items(reader, "steps"))
            {
                ReadStep(item, layer.Name, diagnostics, content);
            }

            reader.Finish();
            return content;
        }

        private static IEnumerable<ObjectReader> Items(ObjectReader catalogue, string name)
        {
            var array = catalogue.Array(name);
            if (array is null)
            {
                yield break;
            }

            var what = name.TrimEnd('s');
            foreach (var item in array.Items)
            {
                if (ObjectReader.For(item, what, name + "[]", catalogue.Diagnostics) is { } reader)
                {
                    yield return reader;
                }
            }
        }

        private static void ReadBody(ObjectReader reader, string ruleSet, DiagnosticBag diagnostics, CatalogueContent content)
        {
            reader.Allow("description");
            var id = reader.Identifier("id", "Body id");
            var name = reader.Label("name", "Body name", required: true);
            var kind = reader.Enum<BodyKind>("kind", required: true);
            var from = reader.Date("existsFrom");
            var until = reader.Date("existsUntil");
            var source = reader.Authored("source", $"body '{id?.Value}'");
            var replaces = reader.Boolean("replaces") ?? false;
            reader.Finish();
            if (from is not null && until is not null && until < from)
            {
                diagnostics.Report(DiagnosticDescriptors.DateRangeBackwards, reader.Property("existsUntil")!.Value.Location, $"Body '{id?.Value}' ends ({until:uuuu-MM-dd}) before it begins ({from:uuuu-MM-dd})");
            }

            if (id is not null && name is not null && kind is not null)
            {
                content.Bodies.Add(new Declared<Body>(new Body(id.Value, name, kind.Value, from, until, source), id.Location, ruleSet, replaces));
            }
        }

        private static void ReadRole(ObjectReader reader, string ruleSet, DiagnosticBag diagnostics, CatalogueContent content)
        {
            reader.Allow("description");
            var id = reader.Identifier("id", "Role id");
            var name = reader.Label("name", "Role name", required: true);
            var source = reader.Authored("source", $"role '{id?.Value}'");
            var replaces = reader.Boolean("replaces") ?? false;
            reader.Finish();
            if (id is not null && name is not null)
            {
                content.Roles.Add(new Declared<Role>(new Role(id.Value, name, source), id.Location, ruleSet, replaces));
            }
        }

        private static void ReadStep(ObjectReader reader, string ruleSet, DiagnosticBag diagnostics, CatalogueContent content)
        {
            var id = reader.Identifier("id", "Step id");
            var name = reader.Label("name", "Step name", required: true);
            var kind = reader.Enum<StepKind>("kind", required: true);
            var body = reader.StringNode("body");
            var role = reader.StringNode("role");
            var durationProperty = reader.Property("duration");
            var duration = durationProperty is null || kind is null ? null : ReadDuration(durationProperty.Value, kind.Value, diagnostics);
            var ifImpracticable = reader.StringNode("ifImpracticable");
            var afterProperty = reader.Property("after");
            var after = reader.StringArray("after");
            var beforeProperty = reader.Property("before");
            var before = reader.StringArray("before");
            var drops = ReadDrops(reader);
            var periodEndsBefore = reader.String("periodEndsBefore");
            var periodEndsBeforeDate = reader.StringNode("periodEndsBeforeDate");
            var group = reader.String("parallelGroup");
            var source = reader.Authored("source", $"step '{id?.Value}'");
            var description = reader.String("description");
            var replaces = reader.Boolean("replaces") ?? false;
            var effective = EffectiveReader.Read(reader, allowOn: false, $"step '{id?.Value}'", out _, out _);
            var checkedOn = reader.Date("checked");
            reader.Finish();
            if (id is null || name is null || kind is null)
            {
                return;
            }

            if (body is not null && role is not null)
            {
                diagnostics.Report(DiagnosticDescriptors.StepWithBodyAndRole, role.Location, id.Value);
            }

            var afterIds = new List<string>();
            foreach (var a in after)
            {
                afterIds.Add(a.Value);
            }

            var beforeIds = new List<string>();
            foreach (var b in before)
            {
                beforeIds.Add(b.Value);
            }

            if (drops is not null && !replaces)
            {
                diagnostics.Report(DiagnosticDescriptors.DropDoesNotFit, drops.Location, $"Step '{id.Value}' has 'drops' but does not replace an inherited step; 'drops' only says what a replacement gives up from the step it replaces");
            }

            var step = new Step
            {
                Id = id.Value,
                Name = name,
                Kind = kind.Value,
                Body = body?.Value,
                Role = role?.Value,
                Duration = duration,
                IfImpracticable = ifImpracticable?.Value,
                After = afterIds,
                Before = beforeIds,
                PeriodEndsBefore = periodEndsBefore,
                PeriodEndsBeforeDate = periodEndsBeforeDate?.Value,
                ParallelGroup = group,
                Source = source,
                Description = description,
                Effective = effective,
                Checked = checkedOn,
            };
            content.Steps.Add(new StepDeclaration(step, id.Location, ruleSet, replaces, body, role, after, durationProperty?.Value.Location, ifImpracticable)
            {
                AfterLocation = afterProperty?.Value.Location,
                BeforeNodes = before,
                BeforeLocation = beforeProperty?.Value.Location,
                Drops = drops,
                PeriodEndsBeforeDateNode = periodEndsBeforeDate,
            });
        }

        /// <summary>
        /// Reads <c>drops</c>. A reason and a source are required: dropping an inherited ordering can drop a statutory
        /// requirement, so the rule file must say why it may.
        /// </summary>
        private static StepDrops? ReadDrops(ObjectReader step)
        {
            var property = step.Property("drops");
            if (property is null || ObjectReader.For(property.Value, "drops", "drops", step.Diagnostics) is not { } reader)
            {
                return null;
            }

            reader.Allow("description");
            var after = reader.StringArray("after");
            var before = reader.StringArray("before");
            var ifImpracticable = FlagTrue(reader, "ifImpracticable");
            var group = FlagTrue(reader, "parallelGroup");
            reader.CheckPlaceholder("reason", reader.Name("reason"));
            reader.CheckPlaceholder("source", reader.Name("source"));
            reader.Finish();
            return new StepDrops(property.Value.Location, after, before, ifImpracticable, group);
        }

        /// <summary>A property that may only be <c>true</c> (false would say nothing); its location, when true.</summary>
        private static SourceLocation? FlagTrue(ObjectReader reader, string name)
        {
            var value = reader.Boolean(name);
            var location = reader.Property(name)?.Value.Location;
            if (value == false)
            {
                reader.Diagnostics.Report(DiagnosticDescriptors.DropDoesNotFit, location!, $"'drops.{name}' may only be true; leave it out to keep the inherited {name}");
            }

            return value == true ? location : null;
        }

        private static StepPeriod? ReadDuration(JsonNode node, StepKind kind, DiagnosticBag diagnostics)
        {
            var reader = ObjectReader.For(node, "duration", "duration", diagnostics);
            if (reader is null)
            {
                return null;
            }

            // Bounded so that a plan's derived dates, a chain of periods from a date in the supported range, stay representable.
            var days = reader.Int32("days", minimum: 0, required: true, maximum: SupportedDates.MaxPeriodDays, maximumDescriptor: DiagnosticDescriptors.DateOutOfRange);
            var counting = reader.Enum<DayCounting>("counting", required: true);
            var anchor = reader.Enum<PeriodAnchor>("anchor") ?? DefaultAnchor(kind);
            var cutOff = ReadCutOff(reader);
            reader.Finish();
            return days is null || counting is null ? null : new StepPeriod(days.Value, counting.Value) { Anchor = anchor, CutOff = cutOff };
        }

        /// <summary>Notices are measured back from the decision and call-in forward from it; other periods from their own start.</summary>
        private static PeriodAnchor DefaultAnchor(StepKind kind) => kind switch
        {
            StepKind.Notice => PeriodAnchor.BeforeDecision,
            StepKind.CallIn => PeriodAnchor.AfterDecision,
            _ => PeriodAnchor.FromStart,
        };

        private static LocalTime? ReadCutOff(ObjectReader reader)
        {
            var node = reader.StringNode("cutOff");
            if (node is null)
            {
                return null;
            }

            var parsed = LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(node.Value);
            if (parsed.Success)
            {
                // Read, not refused: the planner closes such a period the first moment the clocks reach the cut-off,
                // but a rule author should not learn that from a plan an hour off on two days a year.
                if (ClockChanges.Describe(parsed.Value) is { } change)
                {
                    reader.Diagnostics.Report(DiagnosticDescriptors.CutOffInClockChange, node.Location, node.Value, change, ClockChanges.Hours);
                }

                return parsed.Value;
            }

            reader.Diagnostics.Report(DiagnosticDescriptors.DateOrTimeNotIso, node.Location, $"'cutOff' must be a 24-hour time written HH:mm (Europe/London), not \"{node.Value}\"");
            return null;
        }
    }
}
