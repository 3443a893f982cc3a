namespace LxAnnotate.Hub.OperatorConsole;

/// <summary>The console's only stylesheet, served by the hub itself: no static-file tree to deploy, no inline style for the CSP to allow.</summary>
internal static class ConsoleStylesheet
{
    private const string Css = """
        :root { font-family: system-ui, sans-serif; color: #1d2433; background: #f6f7f9; }
        body { margin: 0; }
        header { background: #1d3557; color: #fff; padding: .6rem 1.2rem; display: flex; gap: 1.5rem; align-items: center; flex-wrap: wrap; }
        header a { color: #fff; text-decoration: none; font-weight: 600; }
        header .who { margin-left: auto; font-size: .9rem; }
        header form { display: inline; }
        main { padding: 1rem 1.2rem; max-width: 80rem; }
        h1 { font-size: 1.4rem; } h2 { font-size: 1.15rem; margin-top: 1.6rem; }
        table { border-collapse: collapse; background: #fff; margin: .5rem 0 1rem; }
        th, td { border: 1px solid #d5d9e0; padding: .3rem .6rem; text-align: left; font-size: .9rem; vertical-align: top; }
        th { background: #eef1f5; }
        code, .mono { font-family: ui-monospace, monospace; font-size: .85rem; word-break: break-all; }
        .status-active, .status-online, .status-anonymized { color: #1b7f3b; font-weight: 600; }
        .status-revoked, .status-expired, .status-error, .status-lost, .status-silent, .status-inactive { color: #b42318; font-weight: 600; }
        .status-expiring, .status-retrying, .status-never { color: #a15c00; font-weight: 600; }
        .notice { background: #e7f5ec; border: 1px solid #9bd3ae; padding: .6rem; }
        .error { background: #fdecea; border: 1px solid #f5b5ae; padding: .6rem; }
        .token { background: #fff8e1; border: 1px solid #f0c36d; padding: .6rem; }
        form.inline { display: inline-flex; gap: .4rem; align-items: center; margin: 0; }
        fieldset { border: 1px solid #d5d9e0; background: #fff; margin: .5rem 0 1rem; }
        label { margin-right: .6rem; }
        button { cursor: pointer; }
        """;

    public static IResult Get() => Results.Text(Css, "text/css; charset=utf-8");
}
