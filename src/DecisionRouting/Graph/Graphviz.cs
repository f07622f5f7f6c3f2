using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace DecisionRouting.Graph
{
    /// <summary>
    /// Graphviz's <c>dot</c> program, to draw DOT (<see cref="GraphFormat.Dot"/>) as SVG. DecisionRouting does not draw
    /// pictures itself; it runs the <c>dot</c> the machine has (Debian and Ubuntu: <c>apt install graphviz</c>), and when
    /// there is none it says so (<see cref="NotInstalled"/>) rather than drawing nothing.
    /// </summary>
    public sealed class Graphviz
    {
        /// <summary>How long one drawing may take before <c>dot</c> is stopped.</summary>
        public static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

        /// <summary>The largest SVG read back from <c>dot</c>, in characters (a plan of a few dozen steps is about 30,000).</summary>
        public const int MaxSvgChars = 16 * 1024 * 1024;

        /// <summary>What to tell someone who asked for SVG on a machine without Graphviz.</summary>
        public const string NotInstalled =
            "SVG is drawn by Graphviz's 'dot', which is not installed here (not found on PATH): install Graphviz (Debian/Ubuntu: apt install graphviz; macOS: brew install graphviz), or ask for the DOT or Mermaid text and draw it elsewhere";

        private Graphviz(string path) => ExecutablePath = path;

        /// <summary>The <c>dot</c> program run.</summary>
        public string ExecutablePath { get; }

        /// <summary>The first <c>dot</c> on <paramref name="searchPath"/> (default: the <c>PATH</c> environment variable), or null when there is none.</summary>
        public static Graphviz? Find(string? searchPath = null)
        {
            var name = OperatingSystem.IsWindows() ? "dot.exe" : "dot";
            return (searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(folder => Path.Combine(folder, name))
                .Where(File.Exists)
                .Select(path => new Graphviz(path))
                .FirstOrDefault();
        }

        /// <summary>Draws <paramref name="dot"/> as an SVG document.</summary>
        /// <param name="dot">A DOT graph, e.g. from <see cref="PlanGraph.Format"/> with <see cref="GraphFormat.Dot"/>.</param>
        /// <param name="cancellationToken">Stops the drawing (and <c>dot</c>).</param>
        /// <returns>The SVG text, UTF-8 decoded.</returns>
        /// <exception cref="GraphvizException">
        /// <c>dot</c> could not be started, failed (its exit code and error text are in the message), took longer than
        /// <see cref="Limit"/>, or wrote more than <see cref="MaxSvgChars"/>.
        /// </exception>
        public async Task<string> RenderSvgAsync(string dot, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(dot);
            var start = new ProcessStartInfo(ExecutablePath, "-Tsvg")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                StandardInputEncoding = new UTF8Encoding(false),
                StandardOutputEncoding = Encoding.UTF8,
                StandardErrorEncoding = Encoding.UTF8,
            };
            Process process;
            try
            {
                process = Process.Start(start) ?? throw new GraphvizException($"Graphviz '{ExecutablePath}' did not start");
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or UnauthorizedAccessException)
            {
                throw new GraphvizException($"Graphviz '{ExecutablePath}' could not be started: {e.Message}", e);
            }

            using (process)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(Limit);
                try
                {
                    var output = ReadBoundedAsync(process.StandardOutput, timeout.Token);
                    var errors = ReadBoundedAsync(process.StandardError, timeout.Token);
                    await process.StandardInput.WriteAsync(dot.AsMemory(), timeout.Token).ConfigureAwait(false);
                    process.StandardInput.Close();
                    await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
                    var svg = await output.ConfigureAwait(false);
                    var error = (await errors.ConfigureAwait(false)).Trim();
                    return process.ExitCode == 0
                        ? svg
                        : throw new GraphvizException($"Graphviz 'dot' failed (exit {process.ExitCode}){(error.Length > 0 ? ": " + error : string.Empty)}");
                }
                catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
                {
                    Stop(process);
                    throw new GraphvizException($"Graphviz 'dot' took longer than {Limit.TotalSeconds} seconds and was stopped", e);
                }
                catch (Exception e) when (e is GraphvizException or OperationCanceledException or IOException)
                {
                    Stop(process);
                    if (e is IOException io)
                    {
                        throw new GraphvizException($"Graphviz 'dot' stopped reading or writing: {io.Message}", io);
                    }

                    throw;
                }
            }
        }

        private static async Task<string> ReadBoundedAsync(StreamReader reader, CancellationToken cancellationToken)
        {
            var text = new StringBuilder();
            var buffer = new char[8192];
            int read;
            while ((read = await reader.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (text.Length + read > MaxSvgChars)
                {
                    throw new GraphvizException($"Graphviz 'dot' wrote more than {MaxSvgChars:N0} characters; not a plan or case diagram");
                }

                text.Append(buffer, 0, read);
            }

            return text.ToString();
        }

        private static void Stop(Process process)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
                // It exited between the check and the kill.
            }
        }
    }

    /// <summary>Graphviz could not draw a diagram; the message says why and what to do.</summary>
    public sealed class GraphvizException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public GraphvizException(string message)
            : base(message)
        {
        }

        /// <summary>Creates the exception with its cause.</summary>
        public GraphvizException(string message, Exception innerException)
            : base(message, innerException)
        {
        }
    }
}
