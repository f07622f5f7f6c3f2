using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DecisionRouting.Proposals;
using DecisionRouting.Routing;
using DecisionRouting.RuleSets;
using DecisionRouting.Tests.Support;
using Microsoft.Data.Sqlite;

namespace DecisionRouting.Tests.Loading;

/// <summary>
/// Rules kept somewhere other than a folder on disk, loaded through the public <see cref="IRuleSetFileSystem"/> seam
/// with <see cref="RuleSet.TryLoad(string, IRuleSetFileSystem)"/>: a real SQLite table holding the shipped rule files.
/// Only public API is used, as an app would use it.
/// </summary>
public sealed class RuleSetSourceTests : IDisposable
{
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"dr-rules-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(_database);
    }

    [Fact]
    public void The_shipped_rules_kept_in_a_database_load_and_route_exactly_as_from_disk()
    {
        // Every shipped rule file, keyed by its path under the repository ("rules/england/catalogue.json" …).
        var root = Repository.PathOf(".");
        var files = Directory.EnumerateFiles(Repository.PathOf("rules"), "*.json", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f).Replace('\\', '/'), File.ReadAllText);
        using var source = DatabaseRuleFiles.Create(_database, files);

        var fromDatabase = RuleSet.TryLoad("rules/partnerships/durham", source);
        var fromDisk = RuleSet.Load(Repository.PathOf("rules/partnerships/durham"));

        Assert.True(fromDatabase.Succeeded, string.Join(Environment.NewLine, fromDatabase.Diagnostics));
        var loaded = fromDatabase.RuleSet!;
        Assert.Equal(fromDisk.Hash, loaded.Hash);
        Assert.Equal(new[] { "england", "durham" }, loaded.Definition.Layers.Select(l => l.Name));
        Assert.Equal(fromDisk.Steps.Keys.OrderBy(k => k, StringComparer.Ordinal), loaded.Steps.Keys.OrderBy(k => k, StringComparer.Ordinal));
        // The extends chain was followed inside the database: the base's files were read from it.
        Assert.Contains("rules/england/catalogue.json", source.Read);

        var proposal = ProposalReader.ReadFile(Repository.PathOf("samples/proposals/durham-2019-integrated-strategic-commissioning.json")).Proposal!;
        var options = new RoutingOptions { Clock = new ManualClock(NodaTime.Instant.FromUtc(2019, 9, 2, 12, 0)) };
        var planFromDatabase = new Router(loaded, options).Route(proposal);
        var planFromDisk = new Router(fromDisk, options).Route(proposal);
        Assert.NotEmpty(planFromDatabase.Steps);
        Assert.Equal(DecisionRouting.Serialization.DecisionRoutingJson.Write(planFromDisk), DecisionRouting.Serialization.DecisionRoutingJson.Write(planFromDatabase));
    }

    [Fact]
    public void Diagnostics_name_the_file_as_the_source_names_it_with_line_and_column()
    {
        var broken = TempRuleSet.Rules.Replace("\"decision\" ]", "\"decisoin\" ]");
        using var source = DatabaseRuleFiles.Create(_database, new Dictionary<string, string>
        {
            ["rules/local/ruleset.json"] = """{ "name": "local" }""",
            ["rules/local/catalogue.json"] = TempRuleSet.Catalogue,
            ["rules/local/main.rules.json"] = broken,
        });

        var result = RuleSet.TryLoad("rules/local", source);

        Assert.False(result.Succeeded);
        var (line, column) = Position.Of(broken, "\"decisoin\"");
        var problem = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.StartsWith($"rules/local/main.rules.json({line},{column}): error DR0012: ", problem.ToString());
    }

    [Fact]
    public void A_file_the_source_refuses_is_DR0062_at_that_file_and_nothing_loads()
    {
        using var source = DatabaseRuleFiles.Create(_database, new Dictionary<string, string>
        {
            ["rules/local/ruleset.json"] = """{ "name": "local" }""",
            ["rules/local/catalogue.json"] = TempRuleSet.Catalogue,
            ["rules/local/main.rules.json"] = TempRuleSet.Rules,
        });
        source.Refuse["rules/local/main.rules.json"] = "the database marks it withdrawn";

        var result = RuleSet.TryLoad("rules/local", source);

        Assert.False(result.Succeeded);
        var refused = Assert.Single(result.Diagnostics, d => d.Id == "DR0062");
        Assert.Equal("rules/local/main.rules.json", refused.Location.Path);
        Assert.Equal("'main.rules.json' is not read: the database marks it withdrawn", refused.Message);
    }

    [Fact]
    public void Extends_leading_outside_the_rule_tree_is_DR0063_and_the_base_is_never_read_whatever_the_source()
    {
        using var source = DatabaseRuleFiles.Create(_database, new Dictionary<string, string>
        {
            ["rules/local/ruleset.json"] = """{ "name": "local", "extends": "../../private/base" }""",
            ["rules/local/main.rules.json"] = TempRuleSet.Rules,
            ["private/base/ruleset.json"] = """{ "name": "base" }""",
            ["private/base/catalogue.json"] = TempRuleSet.Catalogue,
            ["private/base/base.rules.json"] = TempRuleSet.Rules.Replace("\"main\"", "\"base\"").Replace("\"Big\"", "\"BaseBig\""),
        });

        var result = RuleSet.TryLoad("rules/local", source);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Diagnostics, d => d.Id == "DR0063" && d.Location.Path == "rules/local/ruleset.json");
        Assert.DoesNotContain(source.Read, p => p.StartsWith("private/", StringComparison.Ordinal));

        // Allowed in with the rule-tree root set wider, as for a folder on disk.
        var wider = RuleSet.TryLoad("rules/local", source, new RuleSetReadOptions { ExtendsRoot = "." });
        Assert.True(wider.Succeeded, string.Join(Environment.NewLine, wider.Diagnostics));
        Assert.Equal(new[] { "base", "local" }, wider.RuleSet!.Definition.Layers.Select(l => l.Name));
    }

    [Fact]
    public void A_missing_source_or_folder_is_an_argument_error_or_a_diagnostic_not_a_crash()
    {
        Assert.Throws<ArgumentNullException>(() => RuleSet.TryLoad("rules/local", (IRuleSetFileSystem)null!));
        using var source = DatabaseRuleFiles.Create(_database, new Dictionary<string, string>());
        var result = RuleSet.TryLoad("rules/nowhere", source);
        Assert.False(result.Succeeded);
        Assert.Contains(result.Diagnostics, d => d.IsError && d.Location.Path == "rules/nowhere");
    }

    /// <summary>
    /// Rule files in one SQLite table (<c>path</c>, <c>text</c>), as an app might keep them: a folder is the set of
    /// paths under it. It records what was read, and refuses the files a test names.
    /// </summary>
    private sealed class DatabaseRuleFiles : IRuleSetFileSystem, IDisposable
    {
        private readonly SqliteConnection _connection;

        private DatabaseRuleFiles(SqliteConnection connection) => _connection = connection;

        public List<string> Read { get; } = new();

        public Dictionary<string, string> Refuse { get; } = new(StringComparer.Ordinal);

        public static DatabaseRuleFiles Create(string database, IReadOnlyDictionary<string, string> files)
        {
            var connection = new SqliteConnection($"Data Source={database}");
            connection.Open();
            using (var create = connection.CreateCommand())
            {
                create.CommandText = "CREATE TABLE rule_file (path TEXT PRIMARY KEY, text TEXT NOT NULL)";
                create.ExecuteNonQuery();
            }

            foreach (var (path, text) in files)
            {
                using var insert = connection.CreateCommand();
                insert.CommandText = "INSERT INTO rule_file (path, text) VALUES ($path, $text)";
                insert.Parameters.AddWithValue("$path", path);
                insert.Parameters.AddWithValue("$text", text);
                insert.ExecuteNonQuery();
            }

            return new DatabaseRuleFiles(connection);
        }

        public bool DirectoryExists(string path) => EnumerateFiles(path).Any();

        public IEnumerable<string> EnumerateFiles(string directory)
        {
            var folder = directory.Replace('\\', '/').TrimEnd('/') + "/";
            using var query = _connection.CreateCommand();
            query.CommandText = "SELECT path FROM rule_file WHERE substr(path, 1, length($folder)) = $folder AND instr(substr(path, length($folder) + 1), '/') = 0";
            query.Parameters.AddWithValue("$folder", folder);
            using var reader = query.ExecuteReader();
            var paths = new List<string>();
            while (reader.Read())
            {
                paths.Add(reader.GetString(0));
            }

            return paths;
        }

        public string? ReadAllText(string path)
        {
            var key = path.Replace('\\', '/');
            if (Refuse.TryGetValue(key, out var reason))
            {
                throw new RuleFileRefusedException(path, reason);
            }

            using var query = _connection.CreateCommand();
            query.CommandText = "SELECT text FROM rule_file WHERE path = $path";
            query.Parameters.AddWithValue("$path", key);
            var text = query.ExecuteScalar() as string;
            if (text is not null)
            {
                Read.Add(key);
            }

            return text;
        }

        public void Dispose() => _connection.Dispose();
    }
}
