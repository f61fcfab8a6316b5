using PuppeteerSharp;

namespace Waba.Gateway.Tests.Infrastructure;

/// <summary>
/// Debian's <c>chromium</c>, headless, driven by PuppeteerSharp (nothing downloaded: the executable path is explicit).
/// <c>.ci/run</c> installs it; elsewhere the browser tests say they were skipped when it is missing. <c>WABA_TEST_CHROMIUM</c>
/// names another executable.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    public const string Variable = "WABA_TEST_CHROMIUM";

    /// <summary>Where <see cref="SaveScreenshotAsync"/> also writes, when set: <c>docs/images</c> regenerates the README's pictures.</summary>
    public const string DocsImagesVariable = "WABA_DOCS_IMAGES";

    private static readonly string[] KnownPaths = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

    private readonly IBrowser _browser;
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<IPage, List<string>> _errors = [];

    private HeadlessChromium(IBrowser browser) => _browser = browser;

    /// <summary>Script errors and failed requests the page reported: a user would see a broken page.</summary>
    public IReadOnlyList<string> ErrorsOf(IPage page)
    {
        var errors = _errors.GetOrCreateValue(page);
        lock (errors)
        {
            return [.. errors];
        }
    }

    public static async Task<HeadlessChromium> LaunchAsync()
    {
        var path = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured
            ? configured
            : KnownPaths.FirstOrDefault(File.Exists);
        if (path is null)
        {
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            {
                Assert.Fail("chromium is not installed: CI must run the browser tests (.ci/run installs it with apt-get).");
            }
            Assert.Skip($"Browser tests skipped: install Debian's chromium (apt-get install chromium) or set {Variable}.");
        }
        var browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = path,
            Headless = true,
            // Root in CI containers cannot use chromium's sandbox; the pages are our own, on 127.0.0.1.
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run", "--lang=en-US"],
        });
        return new HeadlessChromium(browser);
    }

    public async Task<IPage> NewPageAsync(int width = 1280, int height = 800)
    {
        var page = await _browser.NewPageAsync();
        await page.SetViewportAsync(new ViewPortOptions { Width = width, Height = height });
        page.DefaultTimeout = 20_000;
        var errors = _errors.GetOrCreateValue(page);
        void Record(string error)
        {
            lock (errors)
            {
                errors.Add(error);
            }
        }
        page.PageError += (_, e) => Record($"script error: {e.Message}");
        page.Console += (_, e) =>
        {
            if (e.Message.Type == ConsoleType.Error)
            {
                Record($"console error: {e.Message.Text} at {e.Message.Location?.URL}");
            }
        };
        return page;
    }

    /// <summary>
    /// Saves a screenshot under the test output's <c>screenshots</c> folder (not committed); the documentation's pictures
    /// (<paramref name="forDocs"/>) also go to <c>WABA_DOCS_IMAGES</c> when it is set.
    /// </summary>
    public static async Task SaveScreenshotAsync(IPage page, string name, bool forDocs = false)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".png");
        await page.ScreenshotAsync(path);
        if (forDocs && Environment.GetEnvironmentVariable(DocsImagesVariable) is { Length: > 0 } docs)
        {
            Directory.CreateDirectory(docs);
            File.Copy(path, Path.Combine(docs, name + ".png"), overwrite: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.CloseAsync();
        await _browser.DisposeAsync();
    }
}
