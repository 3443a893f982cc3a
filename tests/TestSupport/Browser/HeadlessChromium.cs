using Microsoft.Playwright;
using Xunit;

namespace LxAnnotate.TestSupport.Browser;

/// <summary>
/// Debian's <c>/usr/bin/chromium</c> driven by Playwright, headless. Playwright's own browser download is never run;
/// one browser serves a test class, each test opens its own context (cookies, storage) with <see cref="NewContextAsync"/>.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private readonly IPlaywright playwright;

    private HeadlessChromium(IPlaywright playwright, IBrowser browser)
    {
        this.playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<HeadlessChromium> LaunchAsync()
    {
        Assert.True(File.Exists(ExecutablePath), $"{ExecutablePath} is missing: apt-get install -y chromium (scripts/test.sh installs it)");
        var playwright = await Playwright.CreateAsync();
        try
        {
            // As root, chromium refuses to start with its sandbox.
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = ["--no-sandbox"],
                Timeout = 60_000,
            });
            return new HeadlessChromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A fresh context that accepts the test PKI's server certificate; every wait in it times out after 30 s.</summary>
    public async Task<IBrowserContext> NewContextAsync(bool javaScriptEnabled = true)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            IgnoreHTTPSErrors = true,
            JavaScriptEnabled = javaScriptEnabled,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(30_000);
        context.SetDefaultNavigationTimeout(30_000);
        return context;
    }

    /// <summary>Saves the page as <c>TestResults/console/NAME.png</c> in the test output folder.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        var dir = Path.Combine(AppContext.BaseDirectory, "TestResults", "console");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright.Dispose();
    }
}
