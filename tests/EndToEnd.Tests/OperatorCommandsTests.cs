using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;
using System.Text.Json;
using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.TestSupport;

namespace LxAnnotate.EndToEnd.Tests;

/// <summary><c>lxa-hub centers …</c> and <c>lxa-hub nodes …</c> through the real binary on PostgreSQL.</summary>
public sealed class OperatorCommandsTests
{
    [Fact]
    public async Task Centers_AddAndListWithJson_PrintsCentersAndRecordsAuditEvents()
    {
        await using var cli = await OperatorCli.CreateAsync();

        var added = await cli.JsonAsync("centers", "add", "center-b", "--name", "Klinik B");
        var addedWithActor = await cli.RunAsync("centers", "add", "center-a", "--name", "Klinik A", "--display-name", "Klinik A (Endoskopie)", "--actor", "ops-bob", "--json");
        var listed = await cli.JsonAsync("centers", "list");
        var text = await cli.RunAsync("centers", "list");

        Assert.Equal("center-b", added.GetProperty("center_key").GetString());
        Assert.Equal("Klinik B", added.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, added.GetProperty("display_name").ValueKind);
        Assert.Equal(0, addedWithActor.ExitCode);
        Assert.Contains("audit center_added actor=ops-bob target=center:center-a", addedWithActor.StandardError, StringComparison.Ordinal);
        Assert.Equal(["center-a", "center-b"], listed.EnumerateArray().Select(c => c.GetProperty("center_key").GetString()));
        Assert.Equal("Klinik A (Endoskopie)", listed[0].GetProperty("display_name").GetString());
        Assert.Equal(0, text.ExitCode);
        Assert.Contains("center-a  Klinik A", text.StandardOutput, StringComparison.Ordinal);

        var events = await cli.AuditEventsAsync();
        Assert.Equal([("ops-alice", "center_added", "center:center-b"), ("ops-bob", "center_added", "center:center-a")], events.Select(e => (e.Actor, e.Action, e.Target)));
        using var details = JsonDocument.Parse(events[1].Details);
        Assert.Equal("Klinik A", details.RootElement.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Centers_RefusedInput_ExitsOneWithOneLineAndChangesNothing()
    {
        await using var cli = await OperatorCli.CreateAsync();
        await cli.JsonAsync("centers", "add", "center-a", "--name", "Klinik A");

        var duplicate = await cli.FailureAsync(1, "centers", "add", "center-a", "--name", "Again", "--json");
        var invalid = await cli.FailureAsync(1, "centers", "add", "Center A", "--name", "Klinik");
        var missingName = await cli.FailureAsync(1, "centers", "add", "center-b");

        Assert.Equal("lxa-hub: center 'center-a' already exists", duplicate);
        Assert.StartsWith("lxa-hub: invalid center key 'Center A'", invalid, StringComparison.Ordinal);
        Assert.Contains("--name", missingName, StringComparison.Ordinal);
        Assert.Equal(1, await cli.CountAsync("centers"));
        Assert.Single(await cli.AuditEventsAsync());
    }

    [Fact]
    public async Task Nodes_AddListDeactivateActivate_ReportsCenterAndState()
    {
        await using var cli = await OperatorCli.CreateAsync();
        await cli.JsonAsync("centers", "add", "center-a", "--name", "Klinik A");

        var added = await cli.JsonAsync("nodes", "add", "site-a", "--center", "center-a", "--display-name", "Endoskopie Süd");
        var deactivated = await cli.JsonAsync("nodes", "deactivate", "site-a");
        var listed = await cli.JsonAsync("nodes", "list");
        var again = await cli.JsonAsync("nodes", "deactivate", "site-a");
        var activated = await cli.RunAsync("nodes", "activate", "site-a");
        var text = await cli.RunAsync("nodes", "list");

        Assert.Equal(("site-a", "center-a", "site_node", true), (added.GetProperty("node_key").GetString(), added.GetProperty("center_key").GetString(), added.GetProperty("role").GetString(), added.GetProperty("active").GetBoolean()));
        Assert.True(deactivated.GetProperty("changed").GetBoolean());
        var node = Assert.Single(listed.EnumerateArray());
        Assert.Equal(("center-a", false, "Endoskopie Süd"), (node.GetProperty("center_key").GetString(), node.GetProperty("active").GetBoolean(), node.GetProperty("display_name").GetString()));
        Assert.Empty(node.GetProperty("certificates").EnumerateArray());
        Assert.False(again.GetProperty("changed").GetBoolean());
        Assert.Equal(0, activated.ExitCode);
        Assert.Contains("Node site-a is now active.", activated.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("site-a  center center-a  active", text.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(["center_added", "node_added", "node_deactivated", "node_activated"], (await cli.AuditEventsAsync()).Select(e => e.Action));
    }

    [Fact]
    public async Task Nodes_RefusedInput_ExitsOneWithOneLine()
    {
        await using var cli = await OperatorCli.CreateAsync();
        await cli.JsonAsync("centers", "add", "center-a", "--name", "Klinik A");
        await cli.JsonAsync("nodes", "add", "site-a", "--center", "center-a");

        Assert.Equal("lxa-hub: unknown center 'center-x'", await cli.FailureAsync(1, "nodes", "add", "site-b", "--center", "center-x", "--json"));
        Assert.Equal("lxa-hub: node 'site-a' already exists", await cli.FailureAsync(1, "nodes", "add", "site-a", "--center", "center-a"));
        Assert.StartsWith("lxa-hub: invalid node key 'Site B'", await cli.FailureAsync(1, "nodes", "add", "Site B", "--center", "center-a"), StringComparison.Ordinal);
        Assert.Equal("lxa-hub: unknown node 'site-x'", await cli.FailureAsync(1, "nodes", "deactivate", "site-x"));
        Assert.Equal("lxa-hub: unknown node 'site-x'", await cli.FailureAsync(1, "nodes", "cert", "list", "site-x", "--json"));
        Assert.Equal(1, await cli.CountAsync("network_nodes"));
    }

    [Fact]
    public async Task CertAdd_CertificateFromDevScript_IsRegisteredListedAndRevocable()
    {
        await using var cli = await OperatorCli.CreateAsync();
        var pki = cli.Root.Combine("certs");
        var generate = await ProcessRunner.RunAsync("bash", [Path.Combine(Binaries.RepositoryRoot, "certs-dev", "generate.sh"), "--out", pki, "--node", "site-a"], new Dictionary<string, string?>());
        Assert.True(generate.ExitCode == 0, generate.StandardError);
        cli.Environment["LXA_HUB_NODE_CA_FILE"] = Path.Combine(pki, "node-ca.crt.pem");
        var certificateFile = Path.Combine(pki, "nodes", "site-a.crt.pem");
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(certificateFile);
        var thumbprint = Convert.ToHexString(SHA256.HashData(certificate.RawData));
        await cli.JsonAsync("centers", "add", "center-a", "--name", "Klinik A");
        await cli.JsonAsync("nodes", "add", "site-a", "--center", "center-a");

        var added = await cli.JsonAsync("nodes", "cert", "add", "site-a", certificateFile);
        var duplicate = await cli.FailureAsync(1, "nodes", "cert", "add", "site-a", certificateFile);
        var nodes = await cli.JsonAsync("nodes", "list");

        Assert.Equal(thumbprint, added.GetProperty("thumbprint").GetString());
        Assert.Equal(certificate.SerialNumber, added.GetProperty("serial_number").GetString());
        Assert.Equal("CN=site-a", added.GetProperty("subject").GetString());
        Assert.Equal("active", added.GetProperty("status").GetString());
        Assert.Equal(certificate.NotAfter.ToUniversalTime(), added.GetProperty("not_after").GetDateTimeOffset().UtcDateTime);
        Assert.Equal($"lxa-hub: certificate {thumbprint} is already registered to node 'site-a'", duplicate);
        var listedCertificate = Assert.Single(Assert.Single(nodes.EnumerateArray()).GetProperty("certificates").EnumerateArray());
        Assert.Equal((thumbprint, "active"), (listedCertificate.GetProperty("thumbprint").GetString(), listedCertificate.GetProperty("status").GetString()));

        var revoked = await cli.JsonAsync("nodes", "cert", "revoke", "site-a", thumbprint.ToLowerInvariant(), "--reason", "laptop stolen");
        var certificates = await cli.JsonAsync("nodes", "cert", "list", "site-a");
        var text = await cli.RunAsync("nodes", "cert", "list", "site-a");

        Assert.True(revoked.GetProperty("changed").GetBoolean());
        var listed = Assert.Single(certificates.EnumerateArray());
        Assert.Equal(("revoked", "laptop stolen"), (listed.GetProperty("status").GetString(), listed.GetProperty("revocation_reason").GetString()));
        Assert.Equal(JsonValueKind.String, listed.GetProperty("revoked_at").ValueKind);
        Assert.Contains($"{thumbprint}  revoked", text.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("laptop stolen", text.StandardOutput, StringComparison.Ordinal);
        var events = await cli.AuditEventsAsync();
        Assert.Equal(["center_added", "node_added", "node_certificate_added", "node_certificate_revoked"], events.Select(e => e.Action));
        Assert.All(events, e => Assert.Equal("ops-alice", e.Actor));
        using var details = JsonDocument.Parse(events[3].Details);
        Assert.Equal("laptop stolen", details.RootElement.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task CertAdd_UnacceptableCertificates_ExitOneWithOneLineEach()
    {
        await using var cli = await OperatorCli.CreateAsync();
        using var nodeCa = new TestPki("LxAnnotate Node CA");
        using var otherCa = new TestPki("Unrelated CA");
        cli.Environment["LXA_HUB_NODE_CA_FILE"] = nodeCa.WriteCaPem(cli.Root.Path);
        await cli.JsonAsync("centers", "add", "center-a", "--name", "Klinik A");
        await cli.JsonAsync("nodes", "add", "site-a", "--center", "center-a");
        var foreign = Write(cli, otherCa.IssueNode("site-a"), "foreign");
        var serverOnly = Write(cli, nodeCa.IssueNode("site-a", TestPki.ServerAuthEku), "server-only");
        var expired = Write(cli, nodeCa.IssueNode("site-a", notAfter: DateTimeOffset.UtcNow.AddHours(-1)), "expired");

        var foreignLine = await cli.FailureAsync(1, "nodes", "cert", "add", "site-a", foreign, "--json");
        var serverOnlyLine = await cli.FailureAsync(1, "nodes", "cert", "add", "site-a", serverOnly);
        var expiredLine = await cli.FailureAsync(1, "nodes", "cert", "add", "site-a", expired);

        Assert.Equal($"lxa-hub: '{foreign}' is not signed by the node CA (CN=LxAnnotate Node CA)", foreignLine);
        Assert.Equal($"lxa-hub: '{serverOnly}' lacks the client-authentication extended key usage (clientAuth)", serverOnlyLine);
        Assert.StartsWith($"lxa-hub: '{expired}' expired on ", expiredLine, StringComparison.Ordinal);
        Assert.Equal(0, await cli.CountAsync("network_node_certificates"));
        Assert.Equal(2, (await cli.AuditEventsAsync()).Count);
    }

    [Fact]
    public async Task CertAdd_NodeCaVariableUnset_ExitsTwoNamingIt()
    {
        await using var cli = await OperatorCli.CreateAsync();
        using var pki = new TestPki();
        await cli.JsonAsync("centers", "add", "center-a", "--name", "Klinik A");
        await cli.JsonAsync("nodes", "add", "site-a", "--center", "center-a");

        var line = await cli.FailureAsync(2, "nodes", "cert", "add", "site-a", Write(cli, pki.IssueNode("site-a"), "site-a"));

        Assert.StartsWith("lxa-hub: LXA_HUB_NODE_CA_FILE: not set", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commands_SchemaNotMigrated_ExitOneAskingForMigrate()
    {
        await using var cli = await OperatorCli.CreateAsync(migrate: false);

        var line = await cli.FailureAsync(1, "centers", "list");

        Assert.Equal("lxa-hub: the database schema is not current; run 'lxa-hub migrate' first", line);
    }

    [Fact]
    public async Task Commands_EnvFile_IsReadLikeTheService()
    {
        await using var cli = await OperatorCli.CreateAsync();
        var envFile = cli.Root.Combine(".env.systemd");
        await File.WriteAllTextAsync(envFile, $"ENDOREG_DEPLOYMENT_ROLE=central_hub\nLX_ANNOTATE_ENCRYPTED_DATA_DIR={cli.Root.Path}\nDATABASE_URL={cli.Environment["DATABASE_URL"]}\n");
        await cli.JsonAsync("centers", "add", "center-a", "--name", "Klinik A");
        cli.Environment.Remove("DATABASE_URL");

        var listed = await cli.JsonAsync("--env-file", envFile, "centers", "list");

        Assert.Equal("center-a", Assert.Single(listed.EnumerateArray()).GetProperty("center_key").GetString());
    }

    private static string Write(OperatorCli cli, X509Certificate2 certificate, string name)
    {
        using (certificate)
        {
            return TestPki.WritePem(certificate, cli.Root.Path, name).CertificateFile;
        }
    }
}
