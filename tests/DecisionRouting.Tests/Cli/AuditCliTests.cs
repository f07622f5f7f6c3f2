using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json;
using DecisionRouting.Cli;
using DecisionRouting.Tests.Support;
using Microsoft.Data.Sqlite;

namespace DecisionRouting.Tests.Cli;

/// <summary>
/// <c>audit head</c>, <c>audit verify --anchor</c>, the audit key from the environment, a store with a newer schema and a
/// store file that cannot be written, on a real SQLite file. Commands that need an environment or another user run the
/// built CLI as a process.
/// </summary>
public sealed class AuditCliTests : IDisposable
{
    private const string Id = "croydon-2013-integrated-commissioning-unit";
    private const string Key = "c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0zMi1ieXRlcy1sb25nIQ==";
    private readonly string _directory = Directory.CreateTempSubdirectory("dr-audit-cli-").FullName;
    private readonly string _db;

    public AuditCliTests()
    {
        _db = Path.Combine(_directory, "cases.db");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (!OperatingSystem.IsWindows())
        {
            foreach (var folder in Directory.GetDirectories(_directory).Append(_directory))
            {
                File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void A_published_head_catches_emptying_the_store_which_plain_verify_cannot()
    {
        Create();
        Assert.Equal(0, Fire("start", "--actor", "Dem", "--role", "democratic-services", "--at", "2013-06-01").Exit);
        var head = Run("audit", "head", "--db", _db);
        var json = Run("audit", "head", "--db", _db, "--format", "json");
        Assert.Equal(0, Fire("complete-step", "--step", "finance-sign-off", "--actor", "Fi", "--role", "s151-officer", "--at", "2013-06-03T10:30").Exit);
        var log = Path.Combine(_directory, "heads.log");
        File.WriteAllText(log, "decision-routing-audit-head/2 seq=1 entries=1 cases=1 root=" + new string('0', 64) + " at=2026-01-01T00:00:00Z\n" + head.Out);

        var extends = Run("audit", "verify", "--db", _db, "--anchor", head.Out.Trim());
        var fromFile = Run("audit", "verify", "--db", _db, "--anchor-file", log);
        var fromJson = Run("audit", "verify", "--db", _db, "--anchor", json.Out);
        Tamper($"DROP TRIGGER audit_no_delete; DELETE FROM audit; DELETE FROM cases; UPDATE audit_head SET seq = 0, hash = '{new string('0', 64)}'; {NoDeleteTrigger}");
        var plain = Run("audit", "verify", "--db", _db);
        var anchored = Run("audit", "verify", "--db", _db, "--anchor-file", log);

        Assert.Equal(0, head.Exit);
        Assert.Matches("^decision-routing-audit-head/2 seq=2 entries=2 cases=1 root=[0-9a-f]{64} at=[0-9T:-]+Z\n$", head.Out);
        Assert.Equal(2, JsonDocument.Parse(json.Out).RootElement.GetProperty("sequence").GetInt64());
        Assert.Equal(0, extends.Exit);
        Assert.Contains("It extends the anchor: 2 entries up to entry 2", extends.Out);
        Assert.Equal((0, extends.Out), (fromFile.Exit, fromFile.Out));
        Assert.Equal(0, fromJson.Exit);
        Assert.Equal((0, "Audit trail intact: 0 entries, hash chain verified.\n"), (plain.Exit, plain.Out));
        Assert.Equal(1, anchored.Exit);
        Assert.Contains("The trail does not extend the anchor: the anchor covers 2 entries up to entry 2, but the trail has 0 of them", anchored.Out);
    }

    /// <summary>Third tester's tamper_blob.sh (F5): verify said "intact: 2 entries" while history showed only the first.</summary>
    [Fact]
    public void An_entry_hidden_from_history_by_a_blob_case_id_fails_verify_and_history()
    {
        Create();
        Assert.Equal(0, Fire("start", "--actor", "Dem", "--role", "democratic-services", "--at", "2013-06-01").Exit);
        Assert.Equal(0, Run("audit", "verify", "--db", _db).Exit);

        Tamper("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete; UPDATE audit SET case_id = CAST(case_id AS BLOB) WHERE seq = 2; " + Triggers);
        var verify = Run("audit", "verify", "--db", _db);
        var history = Run("proposal", "history", Id, "--db", _db);

        Assert.Equal(1, verify.Exit);
        Assert.StartsWith("Audit trail TAMPERED: 1 problem(s) in 2 entries:\n", verify.Out);
        Assert.Contains($"  - Audit entry 2: column case_id holds a BLOB ('{Id}'), but decision-routing only writes text there: the row was changed by hand", verify.Out);
        Assert.Equal(1, history.Exit);
        // History loads the case first, and the case's own check finds its newest entry hidden (the newest it finds is entry 1) (status and fire refuse
        // it in the same words); HistoryAsync's own count check is the store contract's An_entry_whose_case_id_is_retyped_as_a_blob.
        Assert.Contains($"Case '{Id}' is damaged: its row records its newest audit entry as its entry 2 (", history.Error);
        Assert.Contains("but its newest entry is audit entry 1, its entry 1 (", history.Error);
        Assert.Equal(string.Empty, history.Out);
    }

    /// <summary>
    /// Third tester's tamper_row.sh (F6): status and fire refused the case as damaged and sent the user to audit verify,
    /// which said intact. Now both name the same columns.
    /// </summary>
    [Fact]
    public void A_case_row_edited_beside_its_document_fails_verify_naming_each_column_as_status_does()
    {
        Create();
        Assert.Equal(0, Fire("start", "--actor", "Dem", "--role", "democratic-services", "--at", "2013-06-01").Exit);

        Tamper("UPDATE cases SET version = 99, state = 'Decided', proposal_id = 'evil', rule_set_hash = 'x', updated_at = 'garbage'");
        var verify = Run("audit", "verify", "--db", _db);
        var status = Run("proposal", "status", Id, "--db", _db);
        var fire = Fire("withdraw", "--actor", "Lead", "--role", "commissioning-lead");

        Assert.Equal(1, verify.Exit);
        Assert.StartsWith("Audit trail TAMPERED: 5 problem(s) in 2 entries:\n", verify.Out);
        Assert.Equal((1, 1), (status.Exit, fire.Exit));
        foreach (var expected in new[]
        {
            $"Case '{Id}''s row (table cases): column updated_at holds 'garbage', which is not a time",
            $"Case '{Id}' is damaged: its row's column version is 99, but its document says 1",
            $"Case '{Id}' is damaged: its row's column state is 'Decided', but its document says 'InProgress'",
            $"Case '{Id}' is damaged: its row's column proposal_id is 'evil', but its document says '{Id}'",
            $"Case '{Id}' is damaged: its row's column rule_set_hash is 'x', but its document says '",
        })
        {
            Assert.Contains("  - " + expected, verify.Out);
            Assert.Contains(expected, status.Error);
            Assert.Contains(expected, fire.Error);
        }

        // The store's message already says to restore from a backup: the advice after it is not said twice.
        Assert.Contains("Restore the store from a backup", status.Error);
        Assert.Contains("Run 'decision-routing audit verify' to list everything that is damaged.", status.Error);
        Assert.DoesNotContain("and restore from a backup", status.Error);
    }

    [Fact]
    public void Audit_head_refuses_to_vouch_for_a_trail_that_does_not_verify()
    {
        Create();
        Tamper("UPDATE cases SET document = REPLACE(document, 'Draft', 'Effective')");

        var head = Run("audit", "head", "--db", _db);

        Assert.Equal(1, head.Exit);
        Assert.Contains("no head taken: the trail does not verify", head.Error);
        Assert.Contains($"Case '{Id}' was changed outside the lifecycle", head.Out);
        Assert.DoesNotContain("decision-routing-audit-head/2", head.Out);
    }

    [Theory]
    [InlineData(new[] { "--anchor", "seq=1" }, "--anchor: An audit head starts with 'decision-routing-audit-head/2'")]
    [InlineData(new[] { "--anchor-file", "no-such-file" }, "no such file")]
    [InlineData(new[] { "--anchor", "x", "--anchor-file", "y" }, "give --anchor or --anchor-file, not both")]
    public void A_bad_anchor_is_a_usage_error(string[] options, string expected)
    {
        Create();

        var result = Run(new[] { "audit", "verify", "--db", _db }.Concat(options).ToArray());

        Assert.Equal(2, result.Exit);
        Assert.Contains(expected, result.Error);
    }

    [Fact]
    public void With_the_key_in_the_environment_entries_are_keyed_and_verify_needs_the_key()
    {
        var keyFile = Path.Combine(_directory, "audit.key");
        File.WriteAllText(keyFile, Key + "\n");
        var withFile = new Dictionary<string, string> { ["DECISION_ROUTING_AUDIT_KEY_FILE"] = keyFile };

        var created = Process(withFile, "proposal", "create", Repository.PathOf($"samples/proposals/{Id}.json"), "--rules", Repository.PathOf("rules/partnerships/croydon"), "--today", "2013-06-01", "--db", _db, "--actor", "Test");
        var started = Process(new Dictionary<string, string> { ["DECISION_ROUTING_AUDIT_KEY"] = Key }, "proposal", "fire", Id, "start", "--actor", "Dem", "--role", "democratic-services", "--at", "2013-06-01", "--db", _db);
        var keyed = Process(withFile, "audit", "verify", "--db", _db);
        var withoutKey = Run("audit", "verify", "--db", _db);

        Assert.Equal(0, created.Exit);
        Assert.Equal(0, started.Exit);
        Assert.Equal(0, keyed.Exit);
        Assert.Matches("^Audit trail intact: 2 entries, hash chain verified with audit key [0-9a-f]{16}\\.\n$", keyed.Out);
        Assert.Equal(1, withoutKey.Exit);
        Assert.Contains("2 entries are keyed (HMAC-SHA256) and no key was given", withoutKey.Out);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_keyed_store_rewritten_as_old_format_entries_fails_verify_with_the_key_and_without()
    {
        // The breaker's D1 (break14/downgrade.py): every entry rewritten as a format 1 entry on a plain store-wide
        // SHA-256 chain, the Start entry's actor forged, the case row edited, the chain heads reset.
        var env = new Dictionary<string, string> { ["DECISION_ROUTING_AUDIT_KEY"] = Key };
        Assert.Equal(0, Process(env, "proposal", "create", Repository.PathOf($"samples/proposals/{Id}.json"), "--rules", Repository.PathOf("rules/partnerships/croydon"), "--today", "2013-06-01", "--db", _db, "--actor", "Test").Exit);
        Assert.Equal(0, Process(env, "proposal", "fire", Id, "start", "--actor", "Dem", "--role", "democratic-services", "--at", "2013-06-01", "--db", _db).Exit);
        Assert.Equal(0, Process(env, "audit", "verify", "--db", _db).Exit);
        await DowngradeAsync(e => e.Trigger == "Start" ? e with { Actor = "MALLORY" } : e);
        Tamper("UPDATE cases SET document = REPLACE(document, 'Draft', 'Effective')");

        var keyed = Process(env, "audit", "verify", "--db", _db);
        var plain = Run("audit", "verify", "--db", _db);
        var head = Process(env, "audit", "head", "--db", _db);

        Assert.Equal(1, keyed.Exit);
        Assert.StartsWith("Audit trail TAMPERED: 2 problem(s) in 2 entries:\n", keyed.Out, StringComparison.Ordinal);
        Assert.Contains($"  - Entry 2 (Start on case '{Id}' by MALLORY) is in audit format 1 (store-wide chain, not keyed, covering no case document), but the store moved to format 2 from entry 1 (as the key mark records): it was rewritten as an old-format entry by someone with the database (a downgrade)\n", keyed.Out);
        Assert.Equal(1, plain.Exit);
        Assert.Contains("but the store moved to format 2 from entry 1: it was rewritten", plain.Out);
        Assert.Equal(1, head.Exit);
    }

    [Fact]
    public async System.Threading.Tasks.Task Deleting_a_whole_case_from_the_middle_fails_verify_and_deleting_the_newest_fails_only_against_a_head()
    {
        // Three cases written by the real lifecycle, one after another (entries 1–2, 3–4, 5–6).
        {
            var store = new DecisionRouting.Stores.SqliteProposalStore(_db);
            var lifecycle = new DecisionRouting.Lifecycle.ProposalLifecycle(store);
            var clerk = new DecisionRouting.Lifecycle.Actor("Clerk", "democratic-services");
            foreach (var id in new[] { "first", "middle", "last" })
            {
                await lifecycle.CreateAsync(Plans.Parallel(2, 2), clerk, id);
                await lifecycle.FireAsync(id, new DecisionRouting.Lifecycle.TriggerRequest(DecisionRouting.Lifecycle.CaseTrigger.Start, clerk));
            }
        }

        var head = Run("audit", "head", "--db", _db).Out.Trim();
        // Each time as an attacker would: the DELETE trigger dropped for the change and put back, so the schema looks as created.
        Tamper($"DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE case_id = 'middle'; DELETE FROM cases WHERE id = 'middle'; {NoDeleteTrigger}");
        var middle = Run("audit", "verify", "--db", _db);
        Tamper($"DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE case_id IN ('first', 'last'); DELETE FROM cases WHERE id IN ('first', 'last'); {NoDeleteTrigger}");
        var plain = Run("audit", "verify", "--db", _db);
        var anchored = Run("audit", "verify", "--db", _db, "--anchor", head);

        Assert.Equal(1, middle.Exit);
        Assert.Equal("Audit trail TAMPERED: 1 problem(s) in 4 entries:\n  - Entries 3–4 are missing from the store-wide sequence, which the store numbers without gaps: deleted (removing a whole case's trail and row leaves exactly this), or, on PostgreSQL only, a writer that died between numbering an entry and committing it and no void records it (if the application's log shows that writer dying, record it with 'decision-routing audit void')\n", middle.Out);

        // Everything gone, newest included: consistent with itself, so only the head published before can tell.
        Assert.Equal(0, plain.Exit);
        Assert.Equal(1, anchored.Exit);
        Assert.Contains("the anchor covers 6 entries up to entry 6, but the trail has 0 of them", anchored.Out);
    }

    [Fact]
    public void A_hand_edited_store_meta_is_named_by_verify_and_stops_other_commands_with_one_clear_line()
    {
        Create();
        Tamper("UPDATE store_meta SET value = 'two' WHERE name = 'schema_version'");
        var verify = Run("audit", "verify", "--db", _db);
        var status = Run("proposal", "status", Id, "--db", _db);
        Tamper("DROP TABLE store_meta");
        var dropped = Run("audit", "verify", "--db", _db);

        Assert.Equal(1, verify.Exit);
        Assert.Equal("Audit trail TAMPERED: 1 problem(s) in 1 entries:\n  - The store's schema record (table store_meta) has schema_version 'two', but decision-routing only ever writes '2' there: store_meta was edited by hand\n", verify.Out);
        Assert.Equal(1, status.Exit);
        Assert.Equal($"decision-routing: {_db}: the store's schema record (table store_meta) has schema_version 'two', but decision-routing only ever writes '2' there (or a later version): store_meta was edited by hand; nothing was read or changed. Run 'decision-routing audit verify' to see what else was changed, then restore the store from a backup\n", status.Error);
        Assert.Equal(1, dropped.Exit);
        Assert.Contains("  - The store's schema record (table store_meta) is missing, but its audit table has the format 2 columns (case_seq, case_doc_hash, key_id), which only version 2 adds: store_meta was deleted by hand", dropped.Out);
        Assert.DoesNotContain("was changed after it was written", dropped.Out);
    }

    [Theory]
    [InlineData("DECISION_ROUTING_AUDIT_KEY", "c2hvcnQ=", "DECISION_ROUTING_AUDIT_KEY: The audit key decodes to 5 bytes; it needs at least 32 (openssl rand -base64 32)")]
    [InlineData("DECISION_ROUTING_AUDIT_KEY_FILE", "/no/such/key", "DECISION_ROUTING_AUDIT_KEY_FILE (/no/such/key): no such file")]
    public void A_bad_key_is_a_usage_error_and_changes_nothing(string variable, string value, string expected)
    {
        Create();

        var result = Process(new Dictionary<string, string> { [variable] = value }, "proposal", "fire", Id, "start", "--actor", "Dem", "--role", "democratic-services", "--at", "2013-06-01", "--db", _db);

        Assert.Equal(2, result.Exit);
        Assert.Equal($"decision-routing: {expected}\n", result.Error);
        Assert.Equal("Audit trail intact: 1 entries, hash chain verified.\n", Run("audit", "verify", "--db", _db).Out);
    }

    [Theory]
    [InlineData("key", "fifo", "DECISION_ROUTING_AUDIT_KEY_FILE ({0}): it is a named pipe (FIFO), not a regular file")]
    [InlineData("key", "/dev/zero", "DECISION_ROUTING_AUDIT_KEY_FILE (/dev/zero): it is in /dev, which holds devices and kernel state, not files")]
    [InlineData("key", "large", "DECISION_ROUTING_AUDIT_KEY_FILE ({0}): it is 5,000 bytes, over the limit of 4,096 bytes")]
    [InlineData("anchor", "fifo", "--anchor-file {0}: it is a named pipe (FIFO), not a regular file")]
    [InlineData("anchor", "/dev/zero", "--anchor-file /dev/zero: it is in /dev, which holds devices and kernel state, not files")]
    [InlineData("db", "fifo", "--db {0}: it is a named pipe (FIFO), not a regular file (a SQLite database)")]
    public void A_special_or_oversized_file_given_to_the_cli_is_refused_before_it_is_read(string given, string kind, string expected)
    {
        Create();
        var path = kind switch
        {
            "fifo" => Path.Combine(_directory, "pipe"),
            "large" => Path.Combine(_directory, "large"),
            _ => kind,
        };
        if (kind == "fifo")
        {
            using var mkfifo = System.Diagnostics.Process.Start("mkfifo", path)!;
            mkfifo.WaitForExit();
        }
        else if (kind == "large")
        {
            File.WriteAllText(path, new string('A', 5000));
        }

        // Nothing ever writes to the pipe, so a command that opened it would wait for good; /dev/zero never ends.
        var result = given switch
        {
            "key" => Process(new Dictionary<string, string> { ["DECISION_ROUTING_AUDIT_KEY_FILE"] = path }, "proposal", "status", Id, "--db", _db),
            "anchor" => Process(new Dictionary<string, string>(), "audit", "verify", "--db", _db, "--anchor-file", path),
            _ => Process(new Dictionary<string, string>(), "proposal", "status", Id, "--db", path),
        };

        Assert.Equal(2, result.Exit);
        Assert.StartsWith($"decision-routing: {string.Format(CultureInfo.InvariantCulture, expected, path)}", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("proposal", "status")]
    [InlineData("proposal", "fire")]
    [InlineData("audit", "verify")]
    public void A_store_with_a_newer_schema_is_refused_with_exit_2(string group, string command)
    {
        Create();
        Tamper("UPDATE store_meta SET value = '7' WHERE name = 'schema_version'");
        var args = new List<string> { group, command };
        if (group == "proposal")
        {
            args.Add(Id);
        }

        if (command == "fire")
        {
            args.AddRange(new[] { "start", "--actor", "Dem", "--role", "democratic-services" });
        }

        var result = Run(args.Concat(new[] { "--db", _db }).ToArray());

        Assert.Equal(2, result.Exit);
        Assert.Equal($"decision-routing: {_db} has case store schema version 7, newer than this decision-routing understands (version 2); nothing was read or changed. Use the decision-routing that wrote it, or a later one\n", result.Error);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_store_file_that_cannot_be_written_is_read_and_verified_and_a_write_exits_2()
    {
        Create();
        Assert.Equal(0, Fire("start", "--actor", "Dem", "--role", "democratic-services", "--at", "2013-06-01").Exit);
        SqliteConnection.ClearAllPools();
        Tamper("PRAGMA wal_checkpoint(TRUNCATE)");

        // The store copied, alone, into a folder nobody may write, and made read-only itself: as on read-only media or a
        // restored backup, with no -wal or -shm beside it. Root ignores permissions, so the commands run as 'nobody'.
        var folder = Path.Combine(_directory, "read-only");
        Directory.CreateDirectory(folder);
        var copy = Path.Combine(folder, "cases.db");
        File.Copy(_db, copy);
        var readable = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        var enterable = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(copy, readable);
        File.SetUnixFileMode(folder, readable | enterable);
        File.SetUnixFileMode(_directory, readable | enterable | UnixFileMode.UserWrite);
        var before = SHA256.HashData(File.ReadAllBytes(copy));

        var status = AsOtherUser("proposal", "status", Id, "--db", copy, "--at", "2013-06-02");
        var history = AsOtherUser("proposal", "history", Id, "--db", copy);
        var verify = AsOtherUser("audit", "verify", "--db", copy);
        var head = AsOtherUser("audit", "head", "--db", copy);
        var fire = AsOtherUser("proposal", "fire", Id, "withdraw", "--actor", "Lead", "--role", "commissioning-lead", "--db", copy);

        Assert.True(status.Exit == 0, status.Error);
        Assert.Contains("State: InProgress", status.Out);
        Assert.Equal(0, history.Exit);
        Assert.Equal((0, "Audit trail intact: 2 entries, hash chain verified.\n"), (verify.Exit, verify.Out));
        Assert.StartsWith("decision-routing-audit-head/2 seq=2 entries=2 cases=1 ", head.Out);
        Assert.Equal(2, fire.Exit);
        Assert.Equal($"decision-routing: {copy} can only be read (read-only file or session); nothing was changed. Reading commands (status, history, graph, audit verify, audit head) still work\n", fire.Error);
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(copy)));
        Assert.Equal(new[] { "cases.db" }, Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    private (int Exit, string Out, string Error) AsOtherUser(params string[] args) =>
        Environment.UserName == "root"
            ? Process(new Dictionary<string, string> { ["HOME"] = _directory, ["DOTNET_CLI_HOME"] = _directory }, new[] { "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "dotnet" }, args)
            : Process(new Dictionary<string, string>(), new[] { "dotnet" }, args);

    private static (int Exit, string Out, string Error) Process(Dictionary<string, string> environment, params string[] args) =>
        Process(environment, new[] { "dotnet" }, args);

    private static (int Exit, string Out, string Error) Process(Dictionary<string, string> environment, string[] launcher, string[] args)
    {
        var start = new ProcessStartInfo(launcher[0]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = CliProcess.Directory };
        foreach (var arg in launcher.Skip(1).Append(CliProcess.DllPath).Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        // Only what the test gives: no key or store leaking in from the machine running the tests.
        foreach (var name in new[] { "DECISION_ROUTING_AUDIT_KEY", "DECISION_ROUTING_AUDIT_KEY_FILE", "DECISION_ROUTING_DB", "DECISION_ROUTING_POSTGRES" })
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        // A bounded wait: a command that hangs (on a named pipe, say) fails its test instead of stopping the run.
        using var process = System.Diagnostics.Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return (-1, stdout.Result, "(killed after 60 s: the command hung)\n" + stderr.Result);
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static (int Exit, string Out, string Error) Run(params string[] args) => InProcessCli.Run(args);

    /// <summary>StoredRow.MaxTextBytes: the most bytes a stored text value may hold.</summary>
    private const long MaxTextBytes = 128L * 1024 * 1024;

    /// <summary>The append-only UPDATE trigger as the store creates it: put back after tampering, as an attacker would.</summary>
    private const string NoUpdateTrigger = "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END";

    /// <summary>The append-only DELETE trigger as the store creates it: put back after tampering, as an attacker would.</summary>
    private const string NoDeleteTrigger = "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END";

    /// <summary>Both append-only triggers (<see cref="NoUpdateTrigger"/>, <see cref="NoDeleteTrigger"/>).</summary>
    private const string Triggers = NoUpdateTrigger + "; " + NoDeleteTrigger;

    /// <summary>
    /// Fourth tester's tamper_index.sh (H1), plain and keyed (KEYED=1): a forged entry reached history through a partial
    /// index swapped in by rootpage while verify, walking the table, said intact. Now verify runs integrity_check and
    /// history checks each entry's hash (under the key from the environment in a keyed store).
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_forged_entry_behind_a_swapped_index_fails_verify_and_history(bool keyed)
    {
        var env = keyed ? new Dictionary<string, string> { ["DECISION_ROUTING_AUDIT_KEY"] = Key } : new Dictionary<string, string>();
        Assert.Equal(0, Process(env, "proposal", "create", Repository.PathOf($"samples/proposals/{Id}.json"), "--rules", Repository.PathOf("rules/partnerships/croydon"), "--today", "2013-06-01", "--db", _db, "--actor", "Test").Exit);
        Assert.Equal(0, Process(env, "proposal", "fire", Id, "start", "--actor", "Dem", "--role", "democratic-services", "--at", "2013-06-01", "--db", _db).Exit);
        Tamper("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete; " +
            "INSERT INTO audit SELECT 0, case_id, at, recorded_at, 'mallory', roles, trigger_name, step, from_state, to_state, accepted, 'FORGED', rule_set_hash, previous_hash, hash, case_seq, case_doc_hash, key_id FROM audit WHERE seq = 1; " +
            "CREATE INDEX by_case_new ON audit (case_id, seq) WHERE seq <> 1; CREATE UNIQUE INDEX seq_new ON audit (seq) WHERE seq <> 0; " +
            "PRAGMA writable_schema=ON; " +
            "UPDATE sqlite_schema SET rootpage = (SELECT rootpage FROM sqlite_schema WHERE name = 'by_case_new') WHERE name = 'audit_by_case'; " +
            "UPDATE sqlite_schema SET rootpage = (SELECT rootpage FROM sqlite_schema WHERE name = 'seq_new') WHERE name = 'sqlite_autoindex_audit_1'; " +
            "DELETE FROM sqlite_schema WHERE name IN ('by_case_new', 'seq_new'); PRAGMA writable_schema=OFF");
        Tamper(Triggers);

        var verify = Process(env, "audit", "verify", "--db", _db);
        var history = Process(env, "proposal", "history", Id, "--db", _db);

        Assert.Equal(1, verify.Exit);
        Assert.Contains("(PRAGMA integrity_check: row 1 missing from index audit_by_case)", verify.Out);
        Assert.Equal(1, history.Exit);
        Assert.Contains($"Case '{Id}''s history is damaged: Audit entry 0 does not carry the hash its fields give{(keyed ? " under the audit key" : string.Empty)}: it was changed or forged by hand", history.Error);
        Assert.DoesNotContain("mallory", history.Out, StringComparison.Ordinal);
    }

    /// <summary>
    /// Keyed history under tampering (sibling of H1): someone with only the database rewrites the newest entry with an
    /// unkeyed SHA-256 hash they can compute, and moves the case row's head to it. The hash, the link and the row agree,
    /// so only the key tells: history with the key refuses the entry (the store's key mark says it must be keyed), and
    /// verify, with the key or without, fails.
    /// </summary>
    [Fact]
    public async System.Threading.Tasks.Task A_keyed_history_refuses_an_entry_rehashed_without_the_key()
    {
        var env = new Dictionary<string, string> { ["DECISION_ROUTING_AUDIT_KEY"] = Key };
        Assert.Equal(0, Process(env, "proposal", "create", Repository.PathOf($"samples/proposals/{Id}.json"), "--rules", Repository.PathOf("rules/partnerships/croydon"), "--today", "2013-06-01", "--db", _db, "--actor", "Test").Exit);
        Assert.Equal(0, Process(env, "proposal", "fire", Id, "start", "--actor", "Dem", "--role", "democratic-services", "--at", "2013-06-01", "--db", _db).Exit);
        var entries = new List<DecisionRouting.Lifecycle.AuditEntry>();
        await foreach (var entry in new DecisionRouting.Stores.SqliteProposalStore(_db, readOnly: true).ReadAuditAsync())
        {
            entries.Add(entry);
        }

        var forged = entries[1] with { Actor = "MALLORY", KeyId = null };
        var hash = forged.ComputeHash(null);
        SqliteConnection.ClearAllPools();
        Tamper($"DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'MALLORY', key_id = NULL, hash = '{hash}' WHERE seq = 2; UPDATE cases SET chain_hash = '{hash}'; {NoUpdateTrigger}");

        var history = Process(env, "proposal", "history", Id, "--db", _db);
        var keyed = Process(env, "audit", "verify", "--db", _db);
        var plain = Run("audit", "verify", "--db", _db);

        Assert.Equal(1, history.Exit);
        Assert.Contains($"Case '{Id}''s history is damaged: Audit entry 2 is not keyed, but the store records (under the audit key ", history.Error);
        Assert.Contains("that every entry from 1 on is keyed with it: it was forged by hand without the key", history.Error);
        Assert.DoesNotContain("MALLORY", history.Out, StringComparison.Ordinal);
        Assert.Equal(1, keyed.Exit);
        Assert.Equal(1, plain.Exit);
    }

    /// <summary>Siblings of H1 on SQLite: objects that change what a query by case sees are refused by every command, by name.</summary>
    [Theory]
    [InlineData("CREATE TRIGGER hide AFTER INSERT ON audit BEGIN SELECT 1; END", "it has trigger 'hide' on audit, which decision-routing never creates")]
    [InlineData("DROP INDEX audit_by_case; CREATE INDEX audit_by_case ON audit (case_id, seq) WHERE seq <> 1", "index 'audit_by_case' on audit is 'CREATE INDEX audit_by_case ON audit (case_id, seq) WHERE seq <> 1'")]
    [InlineData("ALTER TABLE cases RENAME TO cases_t; CREATE VIEW cases AS SELECT * FROM cases_t", "it has table 'cases_t' on cases_t")]
    [InlineData("DROP TRIGGER audit_no_delete", "its trigger 'audit_no_delete' on audit is missing")]
    public void An_altered_schema_is_refused_by_status_history_and_verify(string sql, string expected)
    {
        Create();
        Tamper(sql);

        var status = Run("proposal", "status", Id, "--db", _db);
        var history = Run("proposal", "history", Id, "--db", _db);
        var verify = Run("audit", "verify", "--db", _db);

        Assert.Equal((1, 1, 1), (status.Exit, history.Exit, verify.Exit));
        Assert.Contains("The store's schema is not what decision-routing creates (changed by hand): ", status.Error);
        Assert.Contains(expected, status.Error);
        Assert.Contains(expected, history.Error);
        Assert.Contains(expected, verify.Out);
    }

    /// <summary>M1: a case document over the size limit is reported, naming the case, without being read (it was exit 3).</summary>
    [Fact]
    public void An_oversized_case_document_is_named_by_verify_and_status_without_reading_it()
    {
        Create();
        var over = (MaxTextBytes / 2) + 1;
        Tamper($"UPDATE cases SET document = replace(hex(zeroblob({over})), '00', 'ab')");

        var verify = Run("audit", "verify", "--db", _db);
        var status = Run("proposal", "status", Id, "--db", _db);

        var expected = $"Case '{Id}''s row (table cases): column document holds {over * 2} bytes, more than the {MaxTextBytes} decision-routing ever writes there";
        Assert.Equal(1, verify.Exit);
        Assert.Contains(expected, verify.Out);
        Assert.Equal(1, status.Exit);
        Assert.Contains(expected, status.Error);

        // N6: the document was not read, so no hash of it is shown (it was the SHA-256 of the empty string).
        Assert.Contains($"Case '{Id}''s row was not checked against its audit trail: its column document was not read (see above), so it was neither hashed nor compared", verify.Out);
        Assert.DoesNotContain("e3b0c44298fc", verify.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("hashes to", verify.Out, StringComparison.Ordinal);
    }

    /// <summary>N6 siblings: a row's own chain columns too large to read are not shown or compared as if empty.</summary>
    [Theory]
    [InlineData("chain_doc_hash")]
    [InlineData("chain_hash")]
    [InlineData("id")]
    public void An_oversized_chain_column_is_named_without_a_value_read_from_it(string column)
    {
        Create();
        var over = (MaxTextBytes / 2) + 1;
        Tamper($"UPDATE cases SET {column} = replace(hex(zeroblob({over})), '00', 'ab')");

        var verify = Run("audit", "verify", "--db", _db);
        var status = Run("proposal", "status", Id, "--db", _db);

        Assert.Equal(1, verify.Exit);
        Assert.Contains($"column {column} holds {over * 2} bytes, more than the {MaxTextBytes} decision-routing ever writes there", verify.Out);
        Assert.Contains($"its column {column} was not read (see above), so it was neither hashed nor compared", verify.Out);
        Assert.DoesNotContain("as ''", verify.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("()", verify.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Case NULL", verify.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Case ''", verify.Out, StringComparison.Ordinal);
        if (column == "id")
        {
            // The row cannot be found by its id any more, so status finds no case; verify names the row by its size.
            Assert.Contains($"Case [id of {over * 2} bytes, not read]'s row (table cases): column id holds", verify.Out);
            Assert.Contains("A case row was not checked against its audit trail: its column id was not read", verify.Out);
            return;
        }

        Assert.Equal(1, status.Exit);
        Assert.Contains($"column {column} holds {over * 2} bytes", status.Error);
    }

    /// <summary>Minor finding: a document missing a field named the NullReferenceException, not the field.</summary>
    [Theory]
    [InlineData("plan")]
    [InlineData("id")]
    [InlineData("decisionDate")]
    public void A_case_document_missing_a_field_names_the_field(string field)
    {
        Create();
        Tamper($"UPDATE cases SET document = json_remove(document, '$.{field}')");

        var verify = Run("audit", "verify", "--db", _db);
        var status = Run("proposal", "status", Id, "--db", _db);

        Assert.Equal((1, 1), (verify.Exit, status.Exit));
        Assert.Contains($"its field '{field}' is missing or null", status.Error);
        Assert.Contains($"its field '{field}' is missing or null", verify.Out);
        Assert.DoesNotContain("Object reference", status.Error + verify.Out, StringComparison.Ordinal);
    }

    private void Create()
    {
        var result = Run("proposal", "create", Repository.PathOf($"samples/proposals/{Id}.json"), "--rules", Repository.PathOf("rules/partnerships/croydon"), "--today", "2013-06-01", "--db", _db, "--actor", "Test");
        Assert.True(result.Exit == 0, result.Error);
    }

    private (int Exit, string Out, string Error) Fire(string trigger, params string[] options) =>
        Run(new[] { "proposal", "fire", Id, trigger, "--db", _db }.Concat(options).ToArray());

    /// <summary>What break14/downgrade.py does: every entry on one plain store-wide chain in format 1, heads reset.</summary>
    private async System.Threading.Tasks.Task DowngradeAsync(Func<DecisionRouting.Lifecycle.AuditEntry, DecisionRouting.Lifecycle.AuditEntry> change)
    {
        var entries = new List<DecisionRouting.Lifecycle.AuditEntry>();
        await foreach (var entry in new DecisionRouting.Stores.SqliteProposalStore(_db, readOnly: true).ReadAuditAsync())
        {
            entries.Add(entry);
        }

        var previous = DecisionRouting.Lifecycle.AuditEntry.Genesis;
        var sql = new System.Text.StringBuilder("DROP TRIGGER audit_no_update; ");
        var heads = new Dictionary<string, (int Length, string Hash)>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var rewritten = change(entry).ChainedAfter(entry.Sequence, previous);
            previous = rewritten.Hash;
            heads[entry.CaseId] = ((heads.TryGetValue(entry.CaseId, out var h) ? h.Length : 0) + 1, rewritten.Hash);
            sql.Append(System.Globalization.CultureInfo.InvariantCulture, $"UPDATE audit SET actor = '{rewritten.Actor}', previous_hash = '{rewritten.PreviousHash}', hash = '{rewritten.Hash}', case_seq = NULL, case_doc_hash = NULL, key_id = NULL WHERE seq = {rewritten.Sequence}; ");
        }

        // Each case row's chain head set to match, so nothing but the format and the key is left to tell.
        foreach (var (caseId, (length, hash)) in heads)
        {
            sql.Append(System.Globalization.CultureInfo.InvariantCulture, $"UPDATE cases SET chain_seq = {length}, chain_hash = '{hash}', chain_doc_hash = NULL WHERE id = '{caseId}'; ");
        }

        sql.Append(System.Globalization.CultureInfo.InvariantCulture, $"UPDATE audit_head SET seq = {entries[^1].Sequence}, hash = '{previous}'; {NoUpdateTrigger}");
        Tamper(sql.ToString());
    }

    private void Tamper(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_db};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
