using System;
using System.Threading;
using Npgsql;

namespace DecisionRouting.Tests.Support;

/// <summary>
/// The real PostgreSQL server the store tests use: the server named by <c>DR_PG_CONNECTION</c> when set, else the one
/// scripts/postgres.sh starts (installing PostgreSQL, if missing, when root), the same script .ci/run calls, on
/// 127.0.0.1. Each caller gets a fresh database of its own. When this machine cannot provide a server, the tests skip
/// with one line saying why, unless CI is set (see <see cref="Prerequisite"/>).
/// </summary>
public static class PostgresServer
{
    /// <summary>The variable holding the connection string of a server of the user's own (the test user may CREATE DATABASE).</summary>
    public const string ConnectionVariable = "DR_PG_CONNECTION";

    private static readonly Lazy<Prerequisite> Server = new(() => Find(Environment.GetEnvironmentVariable), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The connection string of a new, empty database.</summary>
    /// <exception cref="MissingPrerequisiteException">No server here, and not CI.</exception>
    public static string NewDatabase()
    {
        var server = Server.Value.Require();
        var name = "dr_" + Guid.NewGuid().ToString("N")[..16];
        using (var connection = new NpgsqlConnection(server))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            command.ExecuteNonQuery();
        }

        // Every store a test opens has its own pool (NpgsqlDataSource), and tests do not all dispose theirs. Npgsql keeps
        // an idle connection for 300 s by default, so a suite used to hold hundreds of idle connections at once on a
        // server (max_connections 200) shared by every worktree's suite, and a test that needs eight at once could be
        // refused with 53300 (too many clients). Idle connections now close within a few seconds; the pool size still
        // bounds what one store may hold at once.
        return new NpgsqlConnectionStringBuilder(server) { Database = name, MaxPoolSize = 40, ConnectionIdleLifetime = 2, ConnectionPruningInterval = 1 }.ToString();
    }

    /// <summary>The server: the user's own when <see cref="ConnectionVariable"/> names one, else scripts/postgres.sh's.</summary>
    /// <param name="environment">Reads an environment variable.</param>
    public static Prerequisite Find(Func<string, string?> environment) =>
        environment(ConnectionVariable) is { Length: > 0 } given
            ? Prerequisite.Given("PostgreSQL", given)
            : Prerequisite.FromScript("PostgreSQL", "scripts/postgres.sh", new[] { "start" });
}
