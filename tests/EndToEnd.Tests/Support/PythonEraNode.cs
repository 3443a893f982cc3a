using System.Security.Cryptography;
using LxAnnotate.Hub.Domain;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.EndToEnd.Tests.Support;

/// <summary>The real <c>lxa-node</c> configured for a Python-era hub (<c>LXA_NODE_HUB_PROTOCOL=python-era</c>) at a <see cref="HubTransferSite"/>.</summary>
internal static class PythonEraNode
{
    /// <summary>The hub's transfer job for <paramref name="file"/> is applied, and its upload job holds exactly this content.</summary>
    public static async Task<(HubTransferJob Job, UploadJob Upload)> AppliedAsync(HubTransferSite site, string file, string kind)
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file)));
        var key = $"{HubTransferSite.NodeKey}__{kind}__{sha256}__processed_v1";
        await using var db = site.Hub.Db();
        var job = await db.HubTransferJobs.SingleAsync(j => j.TransferKey == key);
        Assert.Equal(HubTransferStatus.Applied, job.TransferStatus);
        Assert.Equal(sha256, job.ResourceHash);
        Assert.Equal(sha256, job.ProcessedMediaHash);
        var upload = await db.UploadJobs.SingleAsync(u => u.Id == job.UploadJobId);
        Assert.Equal(IngestMode.Transfer, upload.IngestMode);
        Assert.Equal(sha256, upload.ContentHash);
        Assert.Equal(key, upload.ProcessingProvenance.TransferKey);
        Assert.Equal(HubTransferSite.NodeKey, upload.ProcessingProvenance.SourceNodeKey);
        return (job, upload);
    }

    public static string Write(TempDirectory node, string name, ReadOnlySpan<byte> header, int size)
    {
        var content = RandomNumberGenerator.GetBytes(size);
        header.CopyTo(content);
        var path = node.Combine(name);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>A site node's root configured for the Python-era hub: its URL, the node's certificate, key and secret file, the recipient key.</summary>
    public static TempDirectory NewRoot()
    {
        var root = new TempDirectory();
        File.WriteAllText(root.Combine("secret"), HubTransferSite.Secret + "\n");
        return root;
    }

    public static Task<ProcessResult> RunAsync(HubTransferSite site, TempDirectory node, params string[] arguments) => RunAsync(site, node, arguments, []);

    public static Task<ProcessResult> RunAsync(HubTransferSite site, TempDirectory node, string[] arguments, params (string Name, string Value)[] extra) =>
        ProcessRunner.RunDotnetAsync(Binaries.Node, arguments, Environment(site, node, extra), TimeSpan.FromMinutes(3));

    public static Dictionary<string, string?> Environment(HubTransferSite site, TempDirectory node, params (string Name, string Value)[] extra)
    {
        var environment = new Dictionary<string, string?>
        {
            ["ENDOREG_DEPLOYMENT_ROLE"] = "site_node",
            ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = node.Path,
            ["LX_ANNOTATE_DEFAULT_CENTER"] = HubTransferSite.CenterKey,
            ["LXA_NODE_HUB_PROTOCOL"] = "python-era",
            ["LXA_NODE_HUB_URL"] = site.BaseUrl.ToString(),
            ["LXA_NODE_KEY"] = HubTransferSite.NodeKey,
            ["LXA_NODE_CERT_FILE"] = site.CertificateFile,
            ["LXA_NODE_KEY_FILE"] = site.KeyFile,
            ["LXA_NODE_HUB_CA_FILE"] = site.CaFile,
            ["LXA_NODE_HUB_NODE_SECRET_FILE"] = node.Combine("secret"),
            ["LX_ANNOTATE_HUB_EXPORT_RECIPIENT_PUBLIC_KEY_FILE"] = site.RecipientPublicKey,
            ["LXA_NODE_RETENTION"] = "preserve_source",
        };
        foreach (var (name, value) in extra)
        {
            environment[name] = value;
        }

        return environment;
    }
}
