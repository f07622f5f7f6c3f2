using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using DecisionRouting.Lifecycle;
using DecisionRouting.RuleSets;

namespace DecisionRouting.Cli.Commands
{
    /// <summary>
    /// <c>audit verify</c>: recompute the audit trail's hash chains and check every case against its trail (and the trail
    /// against a published head); <c>audit head</c>: print the head to publish or witness. The audit key, if any, comes
    /// from the environment (<see cref="CaseStoreOptions.KeyFileVariable"/>, <see cref="CaseStoreOptions.KeyVariable"/>).
    /// </summary>
    internal static class AuditCommand
    {
        public static Command Create(CliOutput output)
        {
            var command = new Command("audit", "Work with the audit trail of a case store.");
            command.Subcommands.Add(Verify(output));
            command.Subcommands.Add(Head(output));
            command.Subcommands.Add(Void(output));
            return command;
        }

        private static Command Void(CliOutput output)
        {
            var store = new CaseStoreOptions();
            var seq = new Option<long>("--seq") { Description = "The store-wide sequence number a writer took and never committed (from 'audit verify': \"Entry 41 is missing\").", Required = true };
            var to = new Option<long?>("--to") { Description = $"The last number of a run of them (at most {DecisionRouting.Stores.RelationalProposalStore.MaxVoidRange}); default: --seq alone." };
            var reason = new Option<string>("--reason") { Description = "Why the number is void: what the application's log shows (the writer that died, and when).", Required = true };
            var command = new Command(
                "void",
                $"Record that store-wide sequence numbers were taken by a writer that died before committing (PostgreSQL only), so that 'audit verify' lists the gap as void instead of failing. Keyed with the audit key in ${CaseStoreOptions.KeyFileVariable} or ${CaseStoreOptions.KeyVariable} when set. Refuses (exit 2) a number that holds an entry, is already void, or is above the newest entry, and any number on SQLite.");
            ExitCodes.Document(command, (ExitCodes.Success, "recorded"), (ExitCodes.ValidationErrors, ExitCodes.DamagedStore));
            store.AddTo(command);
            command.Options.Add(seq);
            command.Options.Add(to);
            command.Options.Add(reason);
            command.SetAction(parse =>
            {
                var from = parse.GetValue(seq);
                var last = parse.GetValue(to) ?? from;
                var why = parse.GetValue(reason) ?? string.Empty;
                if (string.IsNullOrWhiteSpace(why))
                {
                    return output.BadInput("--reason must say why the numbers are void (what the application's log shows)");
                }

                if (Text.UnsafeCharacters.NameProblem(why, "--reason") is { } badReason)
                {
                    return output.BadInput(badReason);
                }

                if (why.Length > AuditVoid.MaxReasonLength)
                {
                    return output.BadInput($"--reason is {why.Length} characters; at most {AuditVoid.MaxReasonLength}");
                }

                return store.RunWithKey(parse, output, async opened =>
                {
                    IReadOnlyList<AuditVoid> recorded;
                    try
                    {
                        recorded = await opened.Store.VoidAsync(from, last, why).ConfigureAwait(false);
                    }
                    catch (AuditVoidRefusedException e)
                    {
                        return output.BadInput($"no void recorded: {e.Message}");
                    }

                    var keyed = opened.Key is null ? "not keyed (no audit key set)" : $"keyed with audit key {opened.Key.Id}";
                    output.Out.WriteLine(Fields.Text($"Recorded {recorded.Count} void(s), {keyed}:"));
                    foreach (var record in recorded)
                    {
                        output.Out.WriteLine(Fields.Text($"  Sequence {record.Sequence} void: {record.Describe()}"));
                    }

                    output.Out.WriteLine("'audit verify' lists them; they are part of the trail's evidence.");
                    return ExitCodes.Success;
                }, mustExist: true);
            });
            return command;
        }

        private static Command Verify(CliOutput output)
        {
            var store = new CaseStoreOptions();
            var anchor = new Option<string?>("--anchor") { Description = "A head printed earlier by 'audit head' (its text line or JSON) that the trail must extend: detects removal of the end and a full recompute up to it." };
            var anchorFile = new Option<string?>("--anchor-file") { Description = "A file of heads appended by 'audit head' (for example a witnessed, append-only log): the trail must extend the last one." };
            var verify = new Command(
                "verify",
                $"Check the audit trail: every hash (HMAC with the key in ${CaseStoreOptions.KeyFileVariable} or ${CaseStoreOptions.KeyVariable}), every chain, every case against its newest entry, and the anchor if given.");
            ExitCodes.Document(verify, (ExitCodes.Success, "intact"), (ExitCodes.ValidationErrors, "tampered with, naming each problem (or keyed entries and no key)"));
            store.AddTo(verify);
            verify.Options.Add(anchor);
            verify.Options.Add(anchorFile);
            verify.SetAction(parse =>
            {
                if (!ReadAnchor(parse.GetValue(anchor), parse.GetValue(anchorFile), output, out var head, out var exitCode))
                {
                    return exitCode;
                }

                return store.RunWithKey(parse, output, async opened =>
                {
                    var result = await AuditChain.VerifyAsync(opened.Store, new AuditVerifyOptions { Key = opened.Key, Anchor = head }).ConfigureAwait(false);
                    if (!result.IsIntact)
                    {
                        var code = Tampered(output, result);
                        ListVoids(output, result);
                        return code;
                    }

                    output.Out.WriteLine(opened.Key is null
                        ? $"Audit trail intact: {result.Entries} entries, hash chain verified."
                        : $"Audit trail intact: {result.Entries} entries, hash chain verified with audit key {opened.Key.Id}.");
                    if (head is not null)
                    {
                        output.Out.WriteLine($"It extends the anchor: {head.Entries} entries up to entry {head.Sequence}, root {head.Root[..12]}, taken {head.At}.");
                    }

                    if (result.CasesNotCovered > 0)
                    {
                        output.Out.WriteLine($"{result.CasesNotCovered} case(s) have only entries written before audit format 2, so no entry covers their stored document yet; their next entry will.");
                    }

                    ListVoids(output, result);

                    return ExitCodes.Success;
                }, mustExist: true);
            });
            return verify;
        }

        private static Command Head(CliOutput output)
        {
            var store = new CaseStoreOptions();
            var format = new Option<string>("--format") { Description = "text (one line, for a decision notice or an append-only file) or json.", DefaultValueFactory = _ => "text" };
            format.AcceptOnlyFromAmong("text", "json");
            var head = new Command(
                "head",
                "Verify the trail, then print its head (sequence, entry count, root hash, time) to publish or witness outside the database; 'audit verify --anchor' later checks the trail still extends it.");
            ExitCodes.Document(head, (ExitCodes.Success, "printed"), (ExitCodes.ValidationErrors, "the trail does not verify; no head taken"));
            store.AddTo(head);
            head.Options.Add(format);
            head.SetAction(parse => store.RunWithKey(parse, output, async opened =>
            {
                // Never vouch for a trail that is already wrong.
                var result = await AuditChain.VerifyAsync(opened.Store, new AuditVerifyOptions { Key = opened.Key }).ConfigureAwait(false);
                if (!result.IsIntact)
                {
                    output.Error.WriteLine("decision-routing: no head taken: the trail does not verify");
                    return Tampered(output, result);
                }

                var taken = await AuditChain.HeadAsync(opened.Store).ConfigureAwait(false);
                output.Out.WriteLine(parse.GetValue(format) == "json" ? taken.ToJson() : taken.ToString());
                return ExitCodes.Success;
            }, mustExist: true));
            return head;
        }

        /// <summary>Each void that verified: a claim that a number was never committed, to check against the application's log.</summary>
        private static void ListVoids(CliOutput output, AuditVerification result)
        {
            if (result.Voids.Count == 0)
            {
                return;
            }

            output.Out.WriteLine($"{result.Voids.Count} sequence number(s) are void (taken and never committed):");
            foreach (var record in result.Voids)
            {
                output.Out.WriteLine(Fields.Text($"  - sequence {record.Sequence} void: {record.Describe()} (recorded {record.RecordedAt}{(record.KeyId is null ? ", not keyed" : $", keyed {record.KeyId}")})"));
            }
        }

        private static int Tampered(CliOutput output, AuditVerification result)
        {
            output.Out.WriteLine($"Audit trail TAMPERED: {result.Problems.Count} problem(s) in {result.Entries} entries:");
            foreach (var problem in result.Problems)
            {
                output.Out.WriteLine(Fields.Text($"  - {problem}"));
            }

            return ExitCodes.ValidationErrors;
        }

        private static bool ReadAnchor(string? text, string? file, CliOutput output, out AuditHead? head, out int exitCode)
        {
            head = null;
            exitCode = ExitCodes.Success;
            if (text is not null && file is not null)
            {
                exitCode = output.BadInput("give --anchor or --anchor-file, not both");
                return false;
            }

            var source = "--anchor";
            if (file is not null)
            {
                source = $"--anchor-file {file}";
                try
                {
                    // Heads are one line each (about 170 bytes): read at most 1 MB (some 6,000 heads), as every file the
                    // CLI reads is read (SafeFile): a pipe, a device or /proc is refused before it is opened.
                    const int Limit = 1024 * 1024;
                    string? content;
                    try
                    {
                        content = SafeFile.ReadText(file, root: null, maxBytes: Limit);
                    }
                    catch (RuleFileRefusedException e)
                    {
                        exitCode = output.BadInput($"{source}: {e.Reason} (an anchor file is a log of heads from 'audit head'; give one head with --anchor)");
                        return false;
                    }

                    if (content is null)
                    {
                        exitCode = output.BadInput($"{source}: no such file");
                        return false;
                    }

                    text = content.Split('\n').LastOrDefault(line => !string.IsNullOrWhiteSpace(line));
                    if (text is null)
                    {
                        exitCode = output.BadInput($"{source}: the file holds no head");
                        return false;
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    exitCode = output.BadInput($"{source}: {e.Message}");
                    return false;
                }
            }

            if (text is null)
            {
                return true;
            }

            try
            {
                head = AuditHead.Parse(text);
                return true;
            }
            catch (FormatException e)
            {
                exitCode = output.BadInput($"{source}: {e.Message}");
                return false;
            }
        }
    }
}
