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
}
