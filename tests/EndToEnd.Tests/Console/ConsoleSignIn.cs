using LxAnnotate.EndToEnd.Tests.Support;
using Microsoft.Playwright;

namespace LxAnnotate.EndToEnd.Tests.OperatorConsole;

/// <summary>The provider's sign-in as a person does it: the login form, the consent page, back at the console.</summary>
internal static class ConsoleSignIn
{
    public static async Task<IPage> SignInAsync(IBrowserContext context, HubProcess hub, string login, string path = "/console/")
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(hub.ApiUrl, path).AbsoluteUri);
        await page.FillAsync("input[name=login]", login);
        await page.FillAsync("input[name=password]", "any password: the test provider's development login");
        await page.ClickAsync("button[type=submit]");

        // The provider asks for consent on a new session's first authorization. Whichever comes first, its consent
        // page or the console, is waited for: asking for the button right after the click can run before the
        // consent page has loaded.
        var consent = page.Locator("button:has-text('Continue')");
        var atConsole = page.WaitForURLAsync(AtHub);
        var consentShown = consent.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        _ = consentShown.ContinueWith(t => t.Exception, TaskScheduler.Default);
        if (await Task.WhenAny(atConsole, consentShown) == consentShown && consentShown.IsCompletedSuccessfully)
        {
            await ConsentAsync(page, consent);
        }
        else
        {
            await atConsole;
        }

        return page;

        bool AtHub(string url) => url.StartsWith(hub.ApiUrl.AbsoluteUri, StringComparison.Ordinal);

        // A consent button found while the provider's redirects were still replacing the page can be clicked in a
        // document that is gone; the consent page then stays. Clicked again (at most twice more) only when the
        // button is still shown after 10 s without reaching the hub; otherwise the hub is waited for.
        async Task ConsentAsync(IPage signingIn, ILocator button)
        {
            for (var attempt = 1; ; attempt++)
            {
                await button.ClickAsync();
                try
                {
                    await signingIn.WaitForURLAsync(AtHub, new PageWaitForURLOptions { Timeout = 10_000 });
                    return;
                }
                catch (TimeoutException) when (attempt < 3)
                {
                    if (!await button.IsVisibleAsync())
                    {
                        // On its way (a slow hub under load): waited for as long as any navigation.
                        await signingIn.WaitForURLAsync(AtHub);
                        return;
                    }
                }
            }
        }
    }

    /// <summary>The antiforgery field of the first POST form on the page, to forge requests the browser would not send.</summary>
    public static async Task<string> AntiforgeryTokenAsync(IPage page) =>
        await page.Locator("input[name=__lxa_af]").First.GetAttributeAsync("value") ?? throw new InvalidOperationException("no antiforgery field on the page");
}
