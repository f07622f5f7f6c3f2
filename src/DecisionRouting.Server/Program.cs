using System;
using System.Threading.Tasks;
using Microsoft.Extensions.Options;

namespace DecisionRouting.Server
{
    /// <summary>
    /// <c>dotnet run --project src/DecisionRouting.Server</c>: the shipped England rules, SQLite in the service's folder.
    /// Not top-level statements: those declare a global <c>Program</c>, which the CLI's tests already name.
    /// </summary>
    internal static class Program
    {
        /// <summary>Exit code for configuration that cannot work: the same as the CLI's bad input.</summary>
        private const int BadConfiguration = 2;

        private static async Task<int> Main(string[] args)
        {
            // Before the heap can fill: the runtime's threads allocate on their first use, and an allocation that fails
            // there aborts the whole service instead of failing one request (HeapLimit says why).
            DecisionRouting.Routing.HeapLimit.PrepareProcess();
            try
            {
                await ServerApp.Build(args).RunAsync().ConfigureAwait(false);
                return 0;
            }
            catch (Exception e) when (e is ServerConfigurationException or OptionsValidationException)
            {
                // Said in one line, with what to fix; never a stack trace for a mistake in the settings.
                await Console.Error.WriteLineAsync($"decision-routing-server: {e.Message}").ConfigureAwait(false);
                return BadConfiguration;
            }
            catch (Exception e) when (DecisionRouting.Routing.RoutingFaultException.IsFault(e))
            {
                // Out of memory or stack while starting (loading the rules, or the host's own logging): the heap it is
                // given is too small for its rules. One line, like the CLI, never a stack trace.
                var said = "the service ran out of memory or stack while starting; give it more memory";
                for (var inner = e; inner is not null; inner = inner.InnerException)
                {
                    if (inner is DecisionRouting.Routing.RoutingFaultException fault)
                    {
                        said = fault.Message; // the library's own sentence, however the host wrapped it
                        break;
                    }
                }

                Console.Error.WriteLine($"decision-routing-server: {said}");
                return BadConfiguration;
            }
        }
    }
}
