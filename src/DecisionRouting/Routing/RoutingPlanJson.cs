using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using DecisionRouting.Text;
using NodaTime;

namespace DecisionRouting.Routing
{
    /// <summary>
    /// Writes a plan in the documented JSON contract (docs/plan-format.md). Field names and order are stable;
    /// new fields may be added, existing ones are never renamed or removed.
    /// </summary>
    public static class RoutingPlanJson
    {
        /// <summary>The plan as indented JSON.</summary>
        public static string Write(RoutingPlan plan)
        {
            using var stream = new MemoryStream();
            using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                w.WriteStartObject();
                w.WriteStartObject("proposal");
                w.WriteString("id", plan.Proposal.Id);
                w.WriteString("title", plan.Proposal.Title);
                w.WriteString("decisionMaker", plan.Proposal.DecisionMaker.ToString());
                w.WriteString("intendedDecisionDate", DateText.Iso.Format(plan.Proposal.IntendedDecisionDate));
                w.WriteEndObject();

                // Near the top on purpose: a consumer that reads nothing else should still see that the plan may be short.
                w.WriteBoolean("isComplete", plan.IsComplete);
                w.WriteStartArray("incomplete");
                foreach (var rule in plan.Incomplete)
                {
                    w.WriteStartObject();
                    w.WriteString("workflow", rule.Workflow);
                    w.WriteString("rule", rule.Rule);
                    w.WriteString("kind", rule.Kind.ToString());
                    w.WriteString("missingValue", rule.MissingValue);
                    w.WriteString("message", rule.Message);
                    WriteStrings(w, "steps", rule.Steps);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteStartArray("contradictions");
                foreach (var contradiction in plan.Contradictions)
                {
                    w.WriteStartObject();
                    w.WriteString("check", contradiction.Check);
                    w.WriteString("message", contradiction.Message);
                    w.WriteString("step", contradiction.Step);
                    w.WriteEndObject();
                }

                w.WriteEndArray();

                w.WriteStartObject("dates");
                w.WriteString("asOf", Date(plan.AsOf));
                w.WriteString("decision", Date(plan.DecisionDate));
                w.WriteString("decisionStep", plan.DecisionStep);
                w.WriteString("effectiveFrom", Instant(plan.EffectiveFrom));
                w.WriteStartArray("urgencyRoutes");
                foreach (var route in plan.UrgencyRoutes)
                {
                    w.WriteStartObject();
                    w.WriteString("impracticable", route.Impracticable);
                    w.WriteString("instead", route.Instead);
                    w.WriteString("reason", route.Reason);
                    w.WriteString("requires", route.Requires);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();

                w.WriteStartObject("ruleSet");
                w.WriteString("name", plan.RuleSetName);
                w.WriteString("hash", plan.RuleSetHash);
                w.WriteEndObject();

                w.WriteStartArray("matchedRules");
                foreach (var rule in plan.MatchedRules)
                {
                    w.WriteStartObject();
                    w.WriteString("workflow", rule.Workflow);
                    w.WriteString("rule", rule.Rule);
                    w.WriteString("source", rule.Source);
                    w.WriteString("reason", rule.Reason);
                    w.WriteBoolean("verify", rule.Verify);
                    WriteStrings(w, "steps", rule.Steps);
                    w.WriteEndObject();
                }

                w.WriteEndArray();

                w.WriteStartArray("steps");
                foreach (var step in plan.Steps)
                {
                    w.WriteStartObject();
                    w.WriteString("id", step.Id);
                    w.WriteString("name", step.Step.Name);
                    w.WriteString("kind", step.Step.Kind.ToString());
                    w.WriteString("body", step.Step.Body);
                    w.WriteString("role", step.Step.Role);
                    w.WriteString("performedBy", step.Body?.Name ?? step.Role?.Name);
                    w.WriteNumber("stage", step.Stage);
                    w.WriteString("parallelGroup", step.Step.ParallelGroup);
                    if (step.Step.Duration is { } duration)
                    {
                        w.WriteStartObject("duration");
                        w.WriteNumber("days", duration.Days);
                        w.WriteString("counting", duration.Counting.ToString());
                        w.WriteString("anchor", duration.Anchor.ToString());
                        w.WriteString("cutOff", duration.CutOff?.ToString("HH:mm", CultureInfo.InvariantCulture));
                        w.WriteEndObject();
                    }
                    else
                    {
                        w.WriteNull("duration");
                    }

                    if (step.Timing is { } timing)
                    {
                        w.WriteStartObject("timing");
                        w.WriteString("latestDate", Date(timing.LatestDate));
                        w.WriteString("latestStart", Date(timing.LatestStart));
                        w.WriteString("earliestStart", Date(timing.EarliestStart));
                        w.WriteString("earliestEnd", Date(timing.EarliestEnd));
                        w.WriteString("closes", Instant(timing.Closes));
                        w.WriteBoolean("fromSchedule", timing.FromSchedule);
                        w.WriteString("basis", timing.Basis);
                        w.WriteEndObject();
                    }
                    else
                    {
                        w.WriteNull("timing");
                    }

                    WriteStrings(w, "after", step.After);
                    w.WriteStartArray("reasons");
                    foreach (var reason in step.RequiredBy)
                    {
                        w.WriteStartObject();
                        w.WriteString("rule", reason.Rule);
                        w.WriteString("source", reason.Source);
                        w.WriteString("reason", reason.Reason);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                    w.WriteEndObject();
                }

                w.WriteEndArray();

                w.WriteStartArray("warnings");
                foreach (var warning in plan.Warnings)
                {
                    w.WriteStartObject();
                    w.WriteString("kind", warning.Kind.ToString());
                    w.WriteString("message", warning.Message);
                    w.WriteString("rule", warning.Rule);
                    w.WriteString("step", warning.Step);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            return Encoding.UTF8.GetString(stream.ToArray());
        }

        private static string? Date(LocalDate? date) => date is { } d ? DateText.Iso.Format(d) : null;

        /// <summary>ISO 8601 with the London offset, e.g. 2013-07-22T13:00:00+01:00.</summary>
        private static string? Instant(ZonedDateTime? time) => time is { } t ? DateText.IsoMoment.Format(t.ToOffsetDateTime()) : null;

        private static void WriteStrings(Utf8JsonWriter w, string name, System.Collections.Generic.IEnumerable<string> values)
        {
            w.WriteStartArray(name);
            foreach (var value in values)
            {
                w.WriteStringValue(value);
            }

            w.WriteEndArray();
        }
    }
}
