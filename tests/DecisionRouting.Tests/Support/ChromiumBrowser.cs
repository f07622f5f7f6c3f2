using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Playwright;

namespace DecisionRouting.Tests.Support;

/// <summary>
/// Headless Chromium for the web page tests: Debian's <c>chromium</c> (found or installed by scripts/chromium.sh, or
/// <c>DR_CHROMIUM</c>), driven by Microsoft.Playwright with <c>ExecutablePath</c>, never a browser Playwright downloads.
/// Use it as a class fixture; the browser starts on the first <see cref="BrowserAsync"/> and is shared by the class.
/// When this machine has no Chromium the tests skip with one line saying why, unless CI is set (see
/// <see cref="Prerequisite"/>): tests calling <see cref="BrowserAsync"/> are <c>[Fact]</c>.
/// </summary>
public sealed class ChromiumBrowser : IAsyncLifetime
{
    private static readonly Lazy<Prerequisite> Executable =
        new(() => Prerequisite.FromScript("Chromium", "scripts/chromium.sh", Array.Empty<string>()), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>Where <see cref="SaveScreenshotAsync"/> writes: <c>artifacts/screenshots/</c> in the repository (git-ignored).</summary>
    public static string ScreenshotFolder { get; } = Repository.PathOf(Path.Combine("artifacts", "screenshots"));

    /// <summary>
    /// The folder Playwright is told holds its own browsers: an empty one of its own, so that if anything ever asked
    /// Playwright for a downloaded browser it would find none (and a test can see nothing was put there).
    /// </summary>
    public static string PlaywrightBrowsersPath { get; } = Path.Combine(Path.GetTempPath(), "dr-playwright-browsers-none");

    /// <summary>The path of the Chromium executable the browser runs.</summary>
    /// <exception cref="MissingPrerequisiteException">No Chromium here, and not CI.</exception>
    public static string ExecutablePath => Executable.Value.Require();

    /// <summary>The shared headless browser, launched on first use.</summary>
    /// <exception cref="MissingPrerequisiteException">No Chromium here, and not CI.</exception>
    public async Task<IBrowser> BrowserAsync()
    {
        var executable = ExecutablePath;
        await _gate.WaitAsync();
        try
        {
            if (_browser is null)
            {
                // The driver is a child process: it inherits these. Playwright installs browsers only when told to
                // (playwright.ps1 install, which nothing here runs); these make sure it never does and never looks.
                Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
                Environment.SetEnvironmentVariable("PLAYWRIGHT_BROWSERS_PATH", PlaywrightBrowsersPath);
                _playwright = await Playwright.CreateAsync();
                _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = executable, Headless = true });
            }

            return _browser;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Saves a full-page PNG of <paramref name="page"/> as <c>artifacts/screenshots/&lt;name&gt;.png</c> and returns its path.</summary>
    public static async Task<string> SaveScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        var path = Path.Combine(ScreenshotFolder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    /// <inheritdoc/>
    public Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        _gate.Dispose();
    }
}
