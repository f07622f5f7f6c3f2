using DecisionRouting.Server;

// dotnet run --project src/DecisionRouting.Server: the shipped England rules, SQLite in the content root.
await ServerApp.Build(args).RunAsync().ConfigureAwait(false);
