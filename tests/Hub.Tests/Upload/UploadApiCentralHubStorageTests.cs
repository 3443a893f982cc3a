using System.Net;
using System.Security.Cryptography;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LxAnnotate.Hub.Tests.Upload;

/// <summary><c>POST /api/upload/</c> on a central hub: what an accepted upload becomes (job, center, storage class, encryption).</summary>
public sealed class UploadApiCentralHubStorageTests
{
    private static readonly TimeSpan Timeout = HubTestHost.Timeout;

    [Fact]
    public async Task Upload_NewPdf_Returns201WithStatusUrlAndStoresUnderCenter()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a");
        var token = hub.Tokens.Create("alice", ["center-a"]);

        using var response = await hub.UploadAsync(
            UploadContent.Form(UploadContent.Pdf(), "scan 01.pdf", UploadContent.Fields(("center_key", "center-a"), ("source_system", "sap-export"))),
            token);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await HubTestHost.JsonAsync(response);
        var id = body.GetProperty("upload_id").GetGuid();
        Assert.Equal($"/api/upload/{id}/status/", body.GetProperty("status_url").GetString());
        Assert.Equal("Upload job created successfully", body.GetProperty("message").GetString());
        Assert.Equal($"/api/upload/{id}/status/", response.Headers.Location?.OriginalString);

        var job = await hub.WithDbAsync(db => db.UploadJobs.Include(j => j.SourceCenter).SingleAsync(j => j.Id == id));
        Assert.Equal("center-a", job.SourceCenter!.CenterKey);
        Assert.Equal("application/pdf", job.ContentType);
        Assert.Equal(IngestMode.Api, job.IngestMode);
        Assert.Equal("sap-export", job.SourceSystem);
        Assert.Equal("scan 01.pdf", job.OriginalFilename);
        // The original's values (endoreg-db UploadJob for an API upload), in the columns and in the provenance.
        Assert.Equal("api", job.ProcessingProvenance.Entrypoint);
        Assert.Equal("upload_api", job.StorageTier);
        Assert.Equal("preserve_source", job.RetentionPolicy);
        Assert.Equal("upload_api", job.ProcessingProvenance.StorageTier);
        Assert.Equal("preserve_source", job.ProcessingProvenance.RetentionPolicy);
        Assert.Equal("center-a", job.ProcessingProvenance.DeclaredCenterKey);
        Assert.StartsWith("centers/center-a/", job.StoragePath, StringComparison.Ordinal);
        Assert.Single(hub.StoredFiles());
        Assert.Empty(hub.StagedFiles());
    }

    [Fact]
    public async Task Upload_Pdf_IsEncryptedAsItArrives_NoPlaintextIsStaged()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a");
        var pdf = UploadContent.Pdf(3 * 1024 * 1024);
        var marker = pdf.AsSpan(1024 * 1024, 64).ToArray();
        var paused = new PausingStream(pdf, pauseAt: 2 * 1024 * 1024);
        var part = new StreamContent(paused);
        part.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        using var form = new MultipartFormDataContent { { part, "file", "report.pdf" }, { new StringContent("center-a"), "center_key" } };

        var upload = hub.UploadAsync(form, hub.Tokens.Create("alice", ["center-a"]));
        await paused.Paused.WaitAsync(Timeout);

        // Two MiB have arrived: what is staged is ciphertext only.
        var staged = "";
        for (var i = 0; i < 200; i++)
        {
            staged = hub.StagedFiles().SingleOrDefault() ?? "";
            if (staged.Length > 0 && new FileInfo(staged).Length >= 1024 * 1024)
            {
                break;
            }

            await Task.Delay(50);
        }

        Assert.EndsWith(".lxenc.part", staged, StringComparison.Ordinal);
        var bytes = await ReadLockedFileAsync(staged);
        Assert.True(LxAnnotate.Hub.Storage.Encryption.LxEnc01.HasMagic(bytes));
        Assert.Equal(-1, bytes.AsSpan().IndexOf("%PDF-"u8));
        Assert.Equal(-1, bytes.AsSpan().IndexOf(marker));

        paused.Resume();
        using var response = await upload;
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await HubTestHost.JsonAsync(response)).GetProperty("upload_id").GetGuid();
        var job = await hub.WithDbAsync(db => db.UploadJobs.SingleAsync(j => j.Id == id));
        Assert.Equal("application/pdf", job.ContentType);
        Assert.Equal("encrypted", job.StorageEncoding);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(pdf)), job.ContentHash);
        await using (var read = hub.Services.GetRequiredService<LxAnnotate.Hub.Storage.Encryption.EncryptedArtifactStore>().OpenRead(job.StoragePath, job.SizeBytes))
        {
            using var copy = new MemoryStream();
            await read.CopyToAsync(copy);
            Assert.Equal(pdf, copy.ToArray());
        }

        Assert.Empty(hub.StagedFiles());
    }

    [Fact]
    public async Task Upload_Mp4OnCentralHub_IsStagedAndStoredAsPlaintextMedia()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a");
        var video = UploadContent.Mp4(64 * 1024);

        using var response = await hub.UploadAsync(
            UploadContent.Form(video, "clip.mp4", UploadContent.Fields(("center_key", "center-a"))),
            hub.Tokens.Create("alice", ["center-a"]));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await HubTestHost.JsonAsync(response)).GetProperty("upload_id").GetGuid();
        var job = await hub.WithDbAsync(db => db.UploadJobs.SingleAsync(j => j.Id == id));
        Assert.Equal("video/mp4", job.ContentType);
        Assert.Equal("managed", job.StorageEncoding);
        Assert.Equal(video, await File.ReadAllBytesAsync(Path.Combine(hub.Paths.StorageDir, job.StoragePath)));
    }

    [Fact]
    public async Task Upload_FieldsAfterFileAndDefaults_UsesApiSourceSystem()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a");

        using var response = await hub.UploadAsync(
            UploadContent.Form(UploadContent.Pdf(), fields: UploadContent.Fields(("center_key", "center-a"), ("center_name", "Anything At All")), fieldsFirst: false),
            hub.Tokens.Create("alice", ["center-a"]));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await HubTestHost.JsonAsync(response)).GetProperty("upload_id").GetGuid();
        var job = await hub.WithDbAsync(db => db.UploadJobs.SingleAsync(j => j.Id == id));
        Assert.Equal("api", job.SourceSystem);
    }

    /// <summary>
    /// Reads a file the hub holds open with <see cref="FileShare.None"/>: .NET enforces that with an advisory lock
    /// inside this process, which <c>cat</c> does not take.
    /// </summary>
    private static async Task<byte[]> ReadLockedFileAsync(string path)
    {
        using var cat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("cat", [path]) { RedirectStandardOutput = true })!;
        using var copy = new MemoryStream();
        await cat.StandardOutput.BaseStream.CopyToAsync(copy).WaitAsync(Timeout);
        await cat.WaitForExitAsync().WaitAsync(Timeout);
        Assert.Equal(0, cat.ExitCode);
        return copy.ToArray();
    }
}
