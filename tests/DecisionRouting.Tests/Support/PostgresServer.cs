using System;
using System.Diagnostics;
using System.Threading;
using Npgsql;

namespace DecisionRouting.Tests.Support;

/// <summary>
/// The real PostgreSQL server the store tests use: started (and installed, if missing) by scripts/postgres.sh, the
/// same script .ci/run calls, on 127.0.0.1. Each caller gets a fresh database of its own.
/// </summary>
public static class PostgresServer
{
    private static readonly Lazy<string> Server = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The connection string of a new, empty database.</summary>
    public static string NewDatabase()
    {
        var name = "dr_" + Guid.NewGuid().ToString("N")[..16];
        using (var connection = new NpgsqlConnection(Server.Value))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            command.ExecuteNonQuery();
        }

        return new NpgsqlConnectionStringBuilder(Server.Value) { Database = name, MaxPoolSize = 40 }.ToString();
    }

    private static string Start()
    {
        var script = new ProcessStartInfo("bash", new[] { Repository.PathOf("scripts/postgres.sh"), "start" })
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(script)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("scripts/postgres.sh start did not finish within 10 minutes");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/postgres.sh start failed ({process.ExitCode}): {stderr.Result}");
        }

        return stdout.Result.Trim();
    }
}
