using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using DecisionRouting.Analysis;
using DecisionRouting.RuleSets;

namespace DecisionRouting.Cli.Commands
{
    /// <summary>
    /// <c>analyse &lt;rules-dir&gt;</c>: rule-set analysis (docs/analysis.md): dead, shadowed and conflicting rules, gaps,
    /// unreachable steps and officers' properties, with the proposals that show them.
    /// </summary>
    internal static class AnalyseCommand
    {
        public static Command Create(CliOutput output)
        {
            var directory = new Argument<string>("rules-dir") { Description = "The rule-set folder to analyse (it must load without errors)." };
            var properties = new Option<string?>("--properties") { Description = "A properties file (schemas/properties.schema.json): formulas every proposal must satisfy." };
            var format = new Option<string>("--format") { Description = "text for people; sarif for code-scanning tools (SARIF 2.1.0); msbuild for a build: one 'path(line,col): warning DRxxxx: message' line per finding, absolute paths, nothing else.", DefaultValueFactory = _ => "text" };
            format.AcceptOnlyFromAmong("text", "sarif", "msbuild");
            var counterexamples = new Option<string?>("--counterexamples") { Description = "A folder to write each counterexample proposal to (DR0095, DR0099), as <ID>-<n>.json, ready for 'route'." };
            var file = new Option<string?>("--output") { Description = "Write the report here instead of to the console (written only when the analysis completes, exit 0 or 1)." };
            var time = new Option<double>("--time-per-question") { Description = "The most seconds the solver may spend on one question (more than 0, at most 600); one it cannot settle is reported as DR0101.", DefaultValueFactory = _ => 10 };
            var tree = new RuleTreeOptions();
            var command = new Command("analyse", "Analyse a rule set: rules that can never match, rules another always covers, orderings no plan can keep, decision-makers and kinds with no approval step, steps never required, and properties you ask for.")
            {
                directory,
                properties,
                format,
                counterexamples,
                file,
                time,
            };
            tree.AddTo(command);
            ExitCodes.Document(command, (ExitCodes.Success, "nothing found (rules outside the analysed subset, DR0101, may be listed)"), (ExitCodes.ValidationErrors, "the analysis found something (DR0095–DR0100)"));
            command.SetAction(parse => Run(parse.GetValue(directory)!, parse.GetValue(properties), parse.GetValue(format)!, parse.GetValue(counterexamples), parse.GetValue(file), parse.GetValue(time), tree.Read(parse), output));
            return command;
        }

        private static int Run(string directory, string? properties, string format, string? counterexamples, string? outputPath, double seconds, RuleSetReadOptions options, CliOutput output)
        {
            // With --output the report is built in memory and written at the end, so the file exists only when the
            // analysis completed: the package's build target (docs/analysis.md, "At build time") relies on that.
            using var report = outputPath is null ? null : new StringWriter(CultureInfo.InvariantCulture);
            var code = Run(directory, properties, format, counterexamples, seconds, options, output, report ?? output.Out);
            if (report is not null && code is ExitCodes.Success or ExitCodes.ValidationErrors)
            {
                try
                {
                    OutputFiles.WriteAllText(outputPath!, report.ToString(), $"--output {outputPath}");
                }
                catch (UserIOException e)
                {
                    return output.BadInput(e.Message);
                }
            }

            return code;
        }

        private static int Run(string directory, string? properties, string format, string? counterexamples, double seconds, RuleSetReadOptions options, CliOutput output, TextWriter to)
        {
            if (!RuleSetFolder.Exists(directory))
            {
                return output.BadInput($"{directory}: rule-set folder not found");
            }

            if (!(seconds > 0 && seconds <= 600))
            {
                return output.BadInput($"--time-per-question must be more than 0 and at most 600 seconds, not {seconds.ToString(CultureInfo.InvariantCulture)}");
            }

            if (properties is not null && !File.Exists(properties))
            {
                return output.BadInput($"{properties}: properties file not found");
            }

            var definition = RuleSet.Validate(directory, options);
            if (definition.HasErrors)
            {
                output.WriteDiagnostics(definition.Diagnostics, output.Error);
                return output.BadInput($"Rule set '{definition.Name}' has errors; fix them ('decision-routing validate') before analysing it.");
            }

            var report = RuleSetAnalysis.Analyse(definition, new RuleSetAnalysisOptions { PropertiesFile = properties, TimePerQuestion = TimeSpan.FromSeconds(seconds) });
            if (report.Findings.Any(f => f.IsError))
            {
                // The properties file itself is wrong: its diagnostics, at their positions, and nothing else.
                output.WriteDiagnostics(report.Findings.Where(f => f.IsError), output.Error);
                return output.BadInput($"{properties}: the properties file has errors");
            }

            var written = new System.Collections.Generic.Dictionary<Diagnostics.RuleDiagnostic, string>();
            if (counterexamples is not null)
            {
                foreach (var example in report.Counterexamples)
                {
                    var path = Path.Combine(counterexamples, example.Name);
                    try
                    {
                        Directory.CreateDirectory(counterexamples);
                        OutputFiles.WriteAllText(path, example.ProposalJson, path);
                    }
                    catch (UserIOException e)
                    {
                        return output.BadInput(e.Message);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        return output.BadInput($"{counterexamples}: the counterexample folder cannot be written: {e.Message}");
                    }

                    written[example.Finding] = path;
                }
            }

            var found = report.Findings.Count(f => f.Id != "DR0101");
            if (format == "sarif")
            {
                var informational = typeof(AnalyseCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
                to.Write(SarifLog.Write(report.Findings, informational?.Split('+')[0] ?? "0.0.0") + "\n");
                return found == 0 ? ExitCodes.Success : ExitCodes.ValidationErrors;
            }

            if (format == "msbuild")
            {
                // What the package's build target reads (docs/analysis.md, "At build time"): MSBuild's canonical form, one
                // line per finding and nothing else, with absolute paths so the build log points at the file whatever
                // folder the build ran in. A baseline file (baseline:england/…) is not on disk, and MSBuild does not read
                // "baseline:…" as a file (the line would be logged as a plain message, the warning lost): its finding is
                // put on the ruleset.json that extends the baseline, and the message names the baseline file.
                var manifest = RuleSetBaselines.IsReference(directory) ? "decision-routing" : Path.GetFullPath(Path.Combine(directory, "ruleset.json"));
                foreach (var finding in report.Findings)
                {
                    var location = finding.Location;
                    var line = RuleSetBaselines.IsReference(location.Path)
                        ? $"{manifest}: warning {finding.Id}: {finding.Message} (in {location}, the built-in baseline this rule set extends)"
                        : $"{Path.GetFullPath(location.Path)}{(location.HasPosition ? $"({location.Line},{location.Column})" : string.Empty)}: warning {finding.Id}: {finding.Message}";
                    to.WriteLine(Fields.OneLine(line));
                }

                return found == 0 ? ExitCodes.Success : ExitCodes.ValidationErrors;
            }

            foreach (var finding in report.Findings)
            {
                output.WriteDiagnostics(new[] { finding }, to);
                if (written.TryGetValue(finding, out var path))
                {
                    to.WriteLine(Fields.Text($"  counterexample: {path} (route it with 'decision-routing route {path} --rules {directory}')"));
                }
                else if (report.Counterexamples.Any(c => c.Finding == finding))
                {
                    to.WriteLine("  counterexample: give --counterexamples <dir> to write the proposal that shows it");
                }
            }

            var outside = report.Rules - report.RulesInSubset;
            to.WriteLine(Fields.Text(
                $"Analysed rule set '{report.RuleSet}': {report.Rules} rule(s), {report.RulesInSubset} in the analysed subset and {outside} outside it, {definition.Steps.Count} step(s), {report.Properties} propert{(report.Properties == 1 ? "y" : "ies")}; {found} finding(s)."));
            return found == 0 ? ExitCodes.Success : ExitCodes.ValidationErrors;
        }
    }
}
