using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace DecisionRouting.Server
{
    /// <summary>
    /// Draws DOT as SVG with Graphviz's <c>dot</c> when the machine has it (found on PATH once, at start). Without it the
    /// service serves the DOT and Mermaid text and says so (<c>GET /api/server</c>: <c>diagrams: "text"</c>), rather than
    /// failing or drawing nothing.
    /// </summary>
    internal sealed class GraphRenderer
    {
        private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);
        private readonly string? _dot;

        public GraphRenderer()
        {
            _dot = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(folder => Path.Combine(folder, "dot"))
                .FirstOrDefault(File.Exists);
        }

        public bool Available => _dot is not null;

        public string Description => _dot is null
            ? "Graphviz 'dot' is not installed on the server: diagrams are shown as DOT and Mermaid text (install the graphviz package for SVG)"
            : $"Graphviz ({_dot}), rendered on the server as SVG";

        /// <summary>The SVG for <paramref name="dot"/>.</summary>
        /// <exception cref="InvalidOperationException">No <c>dot</c>, or it failed or took longer than 10 seconds.</exception>
        public async Task<string> SvgAsync(string dot, CancellationToken cancellationToken)
        {
            var path = _dot ?? throw new InvalidOperationException(Description);
            var start = new ProcessStartInfo(path, "-Tsvg")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(start) ?? throw new InvalidOperationException("Graphviz 'dot' did not start");
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Limit);
            try
            {
                var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
                var errors = process.StandardError.ReadToEndAsync(timeout.Token);
                await process.StandardInput.WriteAsync(dot.AsMemory(), timeout.Token).ConfigureAwait(false);
                process.StandardInput.Close();
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
                var svg = await output.ConfigureAwait(false);
                return process.ExitCode == 0
                    ? svg
                    : throw new InvalidOperationException($"Graphviz 'dot' failed (exit {process.ExitCode}): {(await errors.ConfigureAwait(false)).Trim()}");
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"Graphviz 'dot' took longer than {Limit.TotalSeconds} seconds", e);
            }
        }
    }
}
