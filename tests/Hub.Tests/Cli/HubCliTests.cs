using LxAnnotate.Hub.Cli;

namespace LxAnnotate.Hub.Tests.Cli;

public sealed class HubCliTests
{
    [Theory]
    [InlineData("migrate")]
    [InlineData("check-config")]
    [InlineData("--env-file", "/tmp/x.env", "migrate")]
    [InlineData("migrate", "--env-file", "/tmp/x.env")]
    [InlineData("centers", "add", "center-a", "--name", "Klinik A", "--display-name", "A", "--json", "--actor", "alice")]
    [InlineData("centers", "list", "--json")]
    [InlineData("import-python", "--django-database-url", "postgres://u@h/db", "--data-dir", "/var/lib/lx-annotate", "--dry-run", "--actor", "alice")]
    [InlineData("nodes", "add", "site-a", "--center", "center-a", "--display-name", "Site A")]
    [InlineData("nodes", "list", "--center", "center-a", "--json")]
    [InlineData("nodes", "deactivate", "site-a", "--json")]
    [InlineData("nodes", "activate", "site-a")]
    [InlineData("nodes", "cert", "add", "site-a", "site-a.crt.pem", "--json")]
    [InlineData("nodes", "cert", "list", "site-a")]
    [InlineData("nodes", "cert", "revoke", "site-a", "AB12", "--reason", "key lost", "--actor", "alice")]
    [InlineData("--env-file", "/tmp/x.env", "nodes", "list")]
    [InlineData("encrypted", "put", "report.pdf", "report.pdf.lxenc", "--chunk-size", "4096")]
    [InlineData("encrypted", "cat", "report.pdf.lxenc", "--range", "0-99")]
    [InlineData("verify-encrypted-storage")]
    [InlineData("reencrypt", "--apply")]
    [InlineData("encrypted", "verify")]
    [InlineData("encrypted", "reencrypt", "--apply")]
    [InlineData("data-dir", "init", "--tmpfiles", "--user", "lxa", "--group", "lxa")]
    [InlineData("data-dir", "check", "--json")]
    [InlineData("data-dir", "migrate", "/srv/old", "--merge", "--dry-run")]
    [InlineData("nodes", "add", "site-a", "--center-key", "center-a")]
    [InlineData("nodes", "enroll", "site-a", "--center-key", "center-a", "--ttl", "1h")]
    [InlineData("jobs", "list", "--center-key", "center-a")]
    [InlineData("transfer-keys", "generate", "--output-dir", "/tmp/keys")]
    public void Parse_KnownCommand_HasNoErrors(params string[] args)
    {
        var result = HubCli.Build().Parse(args);

        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Parse_UnknownCommand_ReportsIt()
    {
        var result = HubCli.Build().Parse(["migrat"]);

        Assert.Contains(result.Errors, e => e.Message.Contains("migrat", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("centers", "add", "center-a")]
    [InlineData("nodes", "add", "site-a")]
    [InlineData("nodes", "cert", "revoke", "site-a", "AB12")]
    [InlineData("nodes", "cert", "add", "site-a")]
    public void Parse_OperatorCommandWithoutRequiredInput_ReportsIt(params string[] args)
    {
        var result = HubCli.Build().Parse(args);

        Assert.NotEmpty(result.Errors);
    }

    [Theory]
    [InlineData(new[] { "check" }, new[] { "data-dir", "check" })]
    [InlineData(new[] { "init-data-dir", "--tmpfiles" }, new[] { "data-dir", "init", "--tmpfiles" })]
    [InlineData(new[] { "migrate-data-dir", "/srv/old", "--merge" }, new[] { "data-dir", "migrate", "/srv/old", "--merge" })]
    [InlineData(new[] { "verify-encrypted-storage" }, new[] { "encrypted", "verify" })]
    [InlineData(new[] { "reencrypt", "--apply" }, new[] { "encrypted", "reencrypt", "--apply" })]
    public void Parse_FormerVerb_HiddenAliasWithTheGroupedVerbsOptions(string[] former, string[] grouped)
    {
        var root = HubCli.Build();

        var old = root.Parse(former);
        var current = root.Parse(grouped);

        Assert.Empty(old.Errors);
        Assert.Empty(current.Errors);
        Assert.True(old.CommandResult.Command.Hidden);
        Assert.False(current.CommandResult.Command.Hidden);
        Assert.Equal(current.CommandResult.Command.Description, old.CommandResult.Command.Description);
        Assert.Equal(
            current.CommandResult.Command.Options.Select(o => o.Name),
            old.CommandResult.Command.Options.Select(o => o.Name));
        Assert.NotNull(old.CommandResult.Command.Action);
    }

    [Theory]
    [InlineData("nodes", "list", "--center", "center-a")]
    [InlineData("jobs", "list", "--center", "center-a")]
    [InlineData("processors", "use", "olympus", "--center", "center-a")]
    [InlineData("transfer-keys", "generate", "--out-dir", "/tmp/keys")]
    public void Parse_FormerOptionSpelling_StillAccepted(params string[] args)
    {
        Assert.Empty(HubCli.Build().Parse(args).Errors);
    }
}
