using System.Threading.Tasks;

namespace DecisionRouting.Server
{
    /// <summary>
    /// <c>dotnet run --project src/DecisionRouting.Server</c>: the shipped England rules, SQLite in the service's folder.
    /// Not top-level statements: those declare a global <c>Program</c>, which the CLI's tests already name.
    /// </summary>
    internal static class Program
    {
        private static Task Main(string[] args) => ServerApp.Build(args).RunAsync();
    }
}
