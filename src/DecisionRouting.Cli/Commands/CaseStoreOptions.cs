using System;
using System.CommandLine;
using System.Data.Common;
using System.IO;
using System.Threading.Tasks;
using DecisionRouting.Lifecycle;
using DecisionRouting.RuleSets;
using DecisionRouting.Stores;

namespace DecisionRouting.Cli.Commands
{
    /// <summary>Where cases live: <c>--db</c> (SQLite, the default) or <c>--postgres</c>; and the one place store errors become messages.</summary>
    internal sealed class CaseStoreOptions
    {
        /// <summary>The SQLite file used when neither option is given.</summary>
        public const string DefaultDatabase = "decision-routing.db";

        /// <summary>The environment variable naming a file that holds the audit key (base64).</summary>
        public const string KeyFileVariable = "DECISION_ROUTING_AUDIT_KEY_FILE";

        /// <summary>The environment variable holding the audit key itself (base64).</summary>
        public const string KeyVariable = "DECISION_ROUTING_AUDIT_KEY";

        public Option<string?> Database { get; } = new("--db") { Description = $"The SQLite case store (created by proposal create if missing; commands that only read need it to exist). Default: {DefaultDatabase} in the current folder, or $DECISION_ROUTING_DB." };

        public Option<string?> Postgres { get; } = new("--postgres") { Description = "Use PostgreSQL instead: an Npgsql connection string (or $DECISION_ROUTING_POSTGRES)." };

        public void AddTo(Command command)
        {
            command.Options.Add(Database);
            command.Options.Add(Postgres);
        }

        /// <summary>
        /// Opens the store, runs <paramref name="action"/>, and turns store and case errors into one-line messages. A
        /// command on cases that must already be there (<paramref name="mustExist"/>: every one but <c>proposal
        /// create</c>) on a store that does not exist stops with exit 2 and creates nothing: an empty store made by a
        /// typo would report "intact" or "no such case" about the wrong file.
        /// </summary>
        public int Run(ParseResult parse, CliOutput output, Func<IProposalStore, Task<int>> action, bool mustExist = false) =>
            RunWithKey(parse, output, opened => action(opened.Store), mustExist);

        /// <summary>As <see cref="Run(ParseResult, CliOutput, Func{IProposalStore, Task{int}}, bool)"/>, also giving the action the audit key in use.</summary>
        public int RunWithKey(ParseResult parse, CliOutput output, Func<Opened, Task<int>> action, bool mustExist = false)
        {
            var postgres = parse.GetValue(Postgres) ?? Environment.GetEnvironmentVariable("DECISION_ROUTING_POSTGRES");
            var database = parse.GetValue(Database) ?? Environment.GetEnvironmentVariable("DECISION_ROUTING_DB") ?? DefaultDatabase;
            if (parse.GetValue(Postgres) is not null && parse.GetValue(Database) is not null)
            {
                return output.BadInput("give --db or --postgres, not both");
            }

            var where = string.IsNullOrWhiteSpace(postgres) ? database : "PostgreSQL";
            if (!TryReadKey(output, out var key, out var keyError))
            {
                return keyError;
            }

            try
            {
                if (!string.IsNullOrWhiteSpace(postgres))
                {
                    PostgreSqlProposalStore store;
                    try
                    {
                        store = new PostgreSqlProposalStore(postgres, key);
                    }
                    catch (ArgumentException e)
                    {
                        return output.BadInput($"--postgres is not a valid connection string: {e.Message}");
                    }

                    using (store)
                    {
                        if (mustExist && !Exists(store))
                        {
                            var name = new Npgsql.NpgsqlConnectionStringBuilder(postgres).Database;
                            return output.BadInput($"no such store: PostgreSQL database '{name}' has no case store in it (proposal create makes one)");
                        }

                        return action(new Opened(store, key)).GetAwaiter().GetResult();
                    }
                }

                // SQLite opens whatever the path names, and a named pipe would block it for good: anything there that is
                // not a regular file is refused before it is opened, as every other file the CLI reads is (SafeFile).
                if (SafeFile.RealPath(database) is { } real && SafeFile.KindOf(real) is { } kind)
                {
                    return output.BadInput($"--db {database}: it is {kind}, not a regular file (a SQLite database)");
                }

                var sqlite = new SqliteProposalStore(database, key);
                if (mustExist && !Exists(sqlite))
                {
                    return output.BadInput(File.Exists(sqlite.Path)
                        ? $"no such store: {database} is a SQLite database without a case store in it"
                        : $"no such store: {database}");
                }

                return action(new Opened(sqlite, key)).GetAwaiter().GetResult();
            }
            catch (StoreSchemaTooNewException e)
            {
                return output.BadInput(e.Message);
            }
            catch (StoreReadOnlyException e)
            {
                return output.BadInput(e.Message);
            }
            catch (CaseDocumentTooLargeException e)
            {
                return output.BadInput(e.Message);
            }
            catch (InvalidTriggerException e)
            {
                return output.BadInput(e.Problem);
            }
            catch (CaseNotFoundException e)
            {
                return output.BadInput($"{where}: {e.Message}");
            }
            catch (CaseAlreadyExistsException e)
            {
                return output.BadInput($"{where}: {e.Message}");
            }
            catch (CaseConflictException e)
            {
                output.Error.WriteLine(Fields.Text($"decision-routing: {e.Message}"));
                return ExitCodes.Conflict;
            }
            catch (StoreMetaTamperedException e)
            {
                output.Error.WriteLine($"decision-routing: {e.Message}");
                return ExitCodes.ValidationErrors;
            }
            catch (CorruptCaseException e)
            {
                // The store's message already says to restore when it knows the row was changed by hand; say it once.
                var advice = e.Message.Contains("from a backup", StringComparison.OrdinalIgnoreCase)
                    ? "Run 'decision-routing audit verify' to list everything that is damaged."
                    : "Run 'decision-routing audit verify' and restore from a backup.";
                output.Error.WriteLine(Fields.Text($"decision-routing: {where}: {e.Message}. {advice}"));
                return ExitCodes.ValidationErrors;
            }
            catch (Exception e) when (e is DbException or IOException or UnauthorizedAccessException)
            {
                return output.BadInput($"cannot use the case store {where}: {e.Message}");
            }
        }

        /// <summary>
        /// Whether the store is there. A hand-edited <c>store_meta</c> still counts: <c>audit verify</c> reports it among
        /// everything else, and any other command stops on it with its own message.
        /// </summary>
        private static bool Exists(RelationalProposalStore store)
        {
            try
            {
                return store.ExistsAsync().GetAwaiter().GetResult();
            }
            catch (StoreMetaTamperedException)
            {
                return true;
            }
        }

        /// <summary>
        /// The audit key from the environment: <c>$DECISION_ROUTING_AUDIT_KEY_FILE</c> (a file holding the base64 key, read
        /// by <see cref="AuditKey.FromFile"/>) or <c>$DECISION_ROUTING_AUDIT_KEY</c> (the base64 key). Never a command-line
        /// option, which would land in shell history and in the process list.
        /// </summary>
        private static bool TryReadKey(CliOutput output, out AuditKey? key, out int exitCode)
        {
            key = null;
            exitCode = ExitCodes.Success;
            var file = Environment.GetEnvironmentVariable(KeyFileVariable);
            var text = Environment.GetEnvironmentVariable(KeyVariable);
            if (!string.IsNullOrEmpty(file) && !string.IsNullOrEmpty(text))
            {
                exitCode = output.BadInput($"set {KeyFileVariable} or {KeyVariable}, not both");
                return false;
            }

            if (string.IsNullOrEmpty(file) && string.IsNullOrEmpty(text))
            {
                return true;
            }

            var source = string.IsNullOrEmpty(file) ? KeyVariable : $"{KeyFileVariable} ({file})";
            try
            {
                key = string.IsNullOrEmpty(file) ? AuditKey.FromBase64(text!) : AuditKey.FromFile(file);
                return true;
            }
            catch (FileNotFoundException)
            {
                exitCode = output.BadInput($"{source}: no such file");
                return false;
            }
            catch (FormatException e)
            {
                exitCode = output.BadInput($"{source}: {e.Message}");
                return false;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                exitCode = output.BadInput($"{source}: cannot read the key file: {e.Message}");
                return false;
            }
        }

        /// <summary>An open store and the audit key it writes and verifies with (null: plain SHA-256).</summary>
        internal sealed record Opened(IProposalStore Store, AuditKey? Key);
    }
}
