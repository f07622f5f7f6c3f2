using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DecisionRouting.Tests.Support;
using Microsoft.Playwright;

namespace DecisionRouting.Tests.Infrastructure;

/// <summary>
/// The browser the web page tests will use, proved end to end: Debian's Chromium, driven by Playwright, loads a page
/// served over HTTP on 127.0.0.1, runs its script, and the test reads what the script wrote and saves a screenshot.
/// </summary>
public sealed class ChromiumBrowserTests : IClassFixture<ChromiumBrowser>
{
    /// <summary>The stages only exist once the page's script has run: raw HTML alone would not pass.</summary>
    private const string Page = """
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><title>Routing plan</title></head>
        <body>
          <h1>Croydon ICU: routing plan</h1>
          <ol id="stages"></ol>
          <script>
            const stages = [["Finance sign-off", "Legal sign-off"], ["Cabinet"], ["Call-in"]];
            document.getElementById("stages").innerHTML =
              stages.map((steps, i) => `<li>Stage ${i + 1}: ${steps.join(" | ")}</li>`).join("");
          </script>
        </body>
        </html>
        """;

    private readonly ChromiumBrowser _chromium;

    public ChromiumBrowserTests(ChromiumBrowser chromium) => _chromium = chromium;

    [Fact]
    public async Task A_page_served_on_loopback_is_read_by_the_real_browser_and_saved_as_a_screenshot()
    {
        var browser = await _chromium.BrowserAsync();
        using var server = new PageServer(Page);
        var page = await browser.NewPageAsync();
        try
        {
            var response = await page.GotoAsync(server.Address);

            Assert.Equal(200, response!.Status);
            Assert.Equal("Routing plan", await page.TitleAsync());
            Assert.Equal("Croydon ICU: routing plan", await page.Locator("h1").InnerTextAsync());
            Assert.Equal(
                new[] { "Stage 1: Finance sign-off | Legal sign-off", "Stage 2: Cabinet", "Stage 3: Call-in" },
                await page.Locator("#stages li").AllInnerTextsAsync());
            Assert.Contains("HeadlessChrome", await page.EvaluateAsync<string>("navigator.userAgent"), StringComparison.Ordinal);

            var screenshot = await ChromiumBrowser.SaveScreenshotAsync(page, "infrastructure-routing-plan");
            Assert.Equal(Path.Combine(Repository.Root, "artifacts", "screenshots", "infrastructure-routing-plan.png"), screenshot);
            var png = await File.ReadAllBytesAsync(screenshot);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        }
        finally
        {
            await page.CloseAsync();
        }

        // The browser is the machine's (Debian's, unless DR_CHROMIUM names another), the very version that executable
        // reports, and Playwright, pointed at an empty browsers folder of its own, put nothing there.
        var executable = ChromiumBrowser.ExecutablePath;
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DR_CHROMIUM")))
        {
            Assert.Equal("/usr/bin/chromium", executable);
        }

        Assert.Contains(browser.Version, VersionOf(executable), StringComparison.Ordinal);
        Assert.True(!Directory.Exists(ChromiumBrowser.PlaywrightBrowsersPath) || Directory.GetFileSystemEntries(ChromiumBrowser.PlaywrightBrowsersPath).Length == 0);
    }

    private static string VersionOf(string executable)
    {
        using var process = Process.Start(new ProcessStartInfo(executable, "--version") { RedirectStandardOutput = true })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output;
    }

    /// <summary>One HTML page over HTTP on 127.0.0.1, on a free port.</summary>
    private sealed class PageServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _serving;

        public PageServer(string html)
        {
            Address = $"http://127.0.0.1:{FreePort()}/";
            _listener.Prefixes.Add(Address);
            _listener.Start();
            var body = Encoding.UTF8.GetBytes(html);
            _serving = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await _listener.GetContextAsync();
                    }
                    catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                    {
                        return;
                    }

                    context.Response.ContentType = "text/html; charset=utf-8";
                    context.Response.StatusCode = context.Request.Url!.AbsolutePath == "/" ? 200 : 404;
                    if (context.Response.StatusCode == 200)
                    {
                        await context.Response.OutputStream.WriteAsync(body);
                    }

                    context.Response.Close();
                }
            });
        }

        public string Address { get; }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Close();
            _serving.Wait(TimeSpan.FromSeconds(5));
            _stop.Dispose();
        }

        private static int FreePort()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            return ((IPEndPoint)probe.LocalEndpoint).Port;
        }
    }
}
