using System.Security.Cryptography;
using System.Text.Json;
using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.EndToEnd.Tests;

/// <summary>A client no one here wrote: Python grpcio with stubs generated from protos/, against the real hub.</summary>
public sealed class ForeignClientTests
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public async Task PythonGrpcio_SendsFileWithNodeCertificate_ThenDedupsTheSecondTime()
    {
        await using var hub = await HubProcess.StartAsync();
        await hub.AddCenterAsync("center-a");
        var certificate = await hub.AddNodeAsync("node-py", "center-a");
        var (certFile, keyFile) = TestPki.WritePem(certificate, hub.Root.Path, "node-py");
        var caFile = hub.Pki.WriteCaPem(hub.Root.Path);
        var stubs = Directory.CreateDirectory(hub.Root.Combine("stubs")).FullName;
        var protos = Path.Combine(Binaries.RepositoryRoot, "protos");
        var generate = await ProcessRunner.RunAsync(
            Python,
            ["-m", "grpc_tools.protoc", "-I", protos, $"--python_out={stubs}", $"--grpc_python_out={stubs}", Path.Combine(protos, "lxannotate", "v1", "transfer.proto")],
            new Dictionary<string, string?>());
        Assert.True(generate.ExitCode == 0, generate.StandardError);
        var file = hub.Root.Combine("report.pdf");
        var content = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);
        await File.WriteAllBytesAsync(file, content);
        string[] arguments =
        [
            Path.Combine(Binaries.RepositoryRoot, "examples", "python", "lxa_send.py"),
            "--hub", $"127.0.0.1:{hub.TransferPort}", "--ca", caFile, "--cert", certFile, "--key", keyFile,
            "--content-type", "application/pdf", "--source-system", "python-test", file,
        ];
        var environment = new Dictionary<string, string?> { ["PYTHONPATH"] = stubs };

        var first = await ProcessRunner.RunAsync(Python, arguments, environment);
        var second = await ProcessRunner.RunAsync(Python, arguments, environment);

        Assert.True(first.ExitCode == 0, first.StandardError);
        using var receipt = JsonDocument.Parse(first.StandardOutput);
        Assert.True(receipt.RootElement.GetProperty("created").GetBoolean());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), receipt.RootElement.GetProperty("sha256").GetString());
        Assert.True(second.ExitCode == 0, second.StandardError);
        using var again = JsonDocument.Parse(second.StandardOutput);
        Assert.Equal(0, again.RootElement.GetProperty("bytes_sent").GetInt64());
        Assert.Equal(receipt.RootElement.GetProperty("upload_job_id").GetString(), again.RootElement.GetProperty("upload_job_id").GetString());

        await using var db = hub.Db();
        var job = await db.UploadJobs.Include(j => j.SourceCenter).SingleAsync();
        Assert.Equal("center-a", job.SourceCenter!.CenterKey);
        Assert.Equal("node-py", job.ProcessingProvenance.SourceNodeKey);
    }
}
