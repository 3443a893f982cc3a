using System.Net;
using System.Security.Cryptography;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LxAnnotate.Hub.Tests.Upload;

/// <summary><c>POST /api/upload/</c> on a central hub: authenticated callers, declared centers, no fallback.</summary>
public sealed class UploadApiCentralHubTests
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
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
        Assert.Equal($"/api/upload/{id}/status/", response.Headers.Location?.OriginalString);

        var job = await hub.WithDbAsync(db => db.UploadJobs.Include(j => j.SourceCenter).SingleAsync(j => j.Id == id));
        Assert.Equal("center-a", job.SourceCenter!.CenterKey);
        Assert.Equal("application/pdf", job.ContentType);
        Assert.Equal(IngestMode.Api, job.IngestMode);
        Assert.Equal("sap-export", job.SourceSystem);
        Assert.Equal("scan 01.pdf", job.OriginalFilename);
        Assert.Equal("api.upload", job.ProcessingProvenance.Entrypoint);
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
        Assert.Equal("encrypted", job.StorageClass);
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
        Assert.Equal("managed", job.StorageClass);
        Assert.Equal(video, await File.ReadAllBytesAsync(Path.Combine(hub.Paths.StorageDir, job.StoragePath)));
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

    /// <summary>Serves bytes and stops after <c>pauseAt</c> of them until <see cref="Resume"/>.</summary>
    private sealed class PausingStream(byte[] content, int pauseAt) : Stream
    {
        private readonly TaskCompletionSource paused = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource resumed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int position;

        public Task Paused => paused.Task;

        public void Resume() => resumed.TrySetResult();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => content.Length;

        public override long Position { get => position; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (position == pauseAt)
            {
                paused.TrySetResult();
                await resumed.Task.WaitAsync(cancellationToken);
            }

            var limit = position < pauseAt ? pauseAt : content.Length;
            var count = Math.Min(buffer.Length, limit - position);
            content.AsMemory(position, count).CopyTo(buffer);
            position += count;
            return count;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
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

    [Fact]
    public async Task Upload_SameContentTwice_Returns200WithSameId()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a");
        var token = hub.Tokens.Create("alice", ["center-a"]);
        var pdf = UploadContent.Pdf();
        var fields = UploadContent.Fields(("center_key", "center-a"));

        using var first = await hub.UploadAsync(UploadContent.Form(pdf, fields: fields), token);
        using var second = await hub.UploadAsync(UploadContent.Form(pdf, "renamed.pdf", fields: fields, fieldsFirst: true), token);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(
            (await HubTestHost.JsonAsync(first)).GetProperty("upload_id").GetGuid(),
            (await HubTestHost.JsonAsync(second)).GetProperty("upload_id").GetGuid());
        Assert.Single(hub.StoredFiles());
        Assert.Empty(hub.StagedFiles());
        Assert.Equal(1, await hub.WithDbAsync(db => db.UploadJobs.CountAsync()));
    }

    [Fact]
    public async Task Upload_IdempotencyKeyHeader_WinsOverFieldAndReusesJob()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a");
        var token = hub.Tokens.Create("alice", ["center-a"]);

        using var first = await hub.UploadAsync(
            UploadContent.Form(UploadContent.Pdf(), fields: UploadContent.Fields(("center_key", "center-a"), ("idempotency_key", "field-key-1"))),
            token,
            idempotencyKey: "header-key");
        using var second = await hub.UploadAsync(
            UploadContent.Form(UploadContent.Pdf(), fields: UploadContent.Fields(("center_key", "center-a"), ("idempotency_key", "field-key-2"))),
            token,
            idempotencyKey: "header-key");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var id = (await HubTestHost.JsonAsync(first)).GetProperty("upload_id").GetGuid();
        Assert.Equal(id, (await HubTestHost.JsonAsync(second)).GetProperty("upload_id").GetGuid());
        var job = await hub.WithDbAsync(db => db.UploadJobs.SingleAsync());
        Assert.Equal("header-key", job.IdempotencyKey);
        Assert.Single(hub.StoredFiles());
        Assert.Empty(hub.StagedFiles());
    }

    [Fact]
    public async Task Upload_MissingFile_Returns400()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a");

        using var response = await hub.UploadAsync(
            UploadContent.Form(file: null, fields: UploadContent.Fields(("center_key", "center-a"))),
            hub.Tokens.Create("alice", ["center-a"]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("file", (await HubTestHost.JsonAsync(response)).GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_UnknownField_Returns400NamingItAndKeepsNothing()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a");

        using var response = await hub.UploadAsync(
            UploadContent.Form(UploadContent.Pdf(), fields: UploadContent.Fields(("center_key", "center-a"), ("patient_name", "x"))),
            hub.Tokens.Create("alice", ["center-a"]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("unknown field 'patient_name'", (await HubTestHost.JsonAsync(response)).GetProperty("error").GetString());
        Assert.Empty(hub.StoredFiles());
        Assert.Empty(hub.StagedFiles());
        Assert.Equal(0, await hub.WithDbAsync(db => db.UploadJobs.CountAsync()));
    }

    [Theory]
    [InlineData("source_system", "has spaces")]
    [InlineData("center_key", "Center A")]
    [InlineData("idempotency_key", "line\nbreak")]
    public async Task Upload_InvalidFieldValue_Returns400AndKeepsNothing(string field, string value)
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a");
        var fields = new Dictionary<string, string> { ["center_key"] = "center-a", [field] = value };

        using var response = await hub.UploadAsync(UploadContent.Form(UploadContent.Pdf(), fields: fields), hub.Tokens.Create("alice", ["center-a"]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, (await HubTestHost.JsonAsync(response)).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(hub.StoredFiles());
        Assert.Empty(hub.StagedFiles());
    }

    [Fact]
    public async Task Upload_FieldLongerThanLimit_Returns400()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a");

        using var response = await hub.UploadAsync(
            UploadContent.Form(UploadContent.Pdf(), fields: UploadContent.Fields(("center_key", "center-a"), ("center_name", new string('n', 5000)))),
            hub.Tokens.Create("alice", ["center-a"]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(hub.StagedFiles());
    }

    [Fact]
    public async Task Upload_TwoFileParts_Returns400AndKeepsNothing()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a");
        var form = UploadContent.Form(UploadContent.Pdf(), fields: UploadContent.Fields(("center_key", "center-a")));
        form.Add(new ByteArrayContent(UploadContent.Pdf()), "file", "second.pdf");

        using var response = await hub.UploadAsync(form, hub.Tokens.Create("alice", ["center-a"]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(hub.StoredFiles());
        Assert.Empty(hub.StagedFiles());
    }

    [Fact]
    public async Task Upload_NotMultipart_Returns400()
    {
        await using var hub = await HubTestHost.CentralHubAsync();

        using var response = await hub.UploadAsync(new ByteArrayContent(UploadContent.Pdf()), hub.Tokens.Create("alice", ["center-a"]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Upload_NoToken_Returns401WithBearerChallengeAndStoresNothing()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a");

        using var response = await hub.UploadAsync(UploadContent.Form(UploadContent.Pdf(), fields: UploadContent.Fields(("center_key", "center-a"))));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.True((await HubTestHost.JsonAsync(response)).TryGetProperty("error", out _));
        Assert.Empty(hub.StoredFiles());
        Assert.Empty(hub.StagedFiles());
    }

    [Fact]
    public async Task Upload_TokenWithWrongSignature_Returns401()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a");
        using var otherKey = RSA.Create(2048);

        using var response = await hub.UploadAsync(
            UploadContent.Form(UploadContent.Pdf(), fields: UploadContent.Fields(("center_key", "center-a"))),
            hub.Tokens.Create("mallory", ["center-a"], signWith: otherKey));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Empty(hub.StoredFiles());
    }

    [Fact]
    public async Task Upload_ExpiredToken_Returns401()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a");

        using var response = await hub.UploadAsync(
            UploadContent.Form(UploadContent.Pdf(), fields: UploadContent.Fields(("center_key", "center-a"))),
            hub.Tokens.Create("alice", ["center-a"], lifetime: TimeSpan.FromMinutes(10), issuedAt: DateTime.UtcNow.AddHours(-1)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(hub.StoredFiles());
    }

    [Fact]
    public async Task Upload_TokenForOtherAudience_Returns401()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a");

        using var response = await hub.UploadAsync(
            UploadContent.Form(UploadContent.Pdf(), fields: UploadContent.Fields(("center_key", "center-a"))),
            hub.Tokens.Create("alice", ["center-a"], audience: "some-other-app"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Upload_CenterOutsideTokenScope_Returns403AndStoresNothing()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a", "center-b");

        using var response = await hub.UploadAsync(
            UploadContent.Form(UploadContent.Pdf(), fields: UploadContent.Fields(("center_key", "center-b"))),
            hub.Tokens.Create("alice", ["center-a"]));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("center-b", (await HubTestHost.JsonAsync(response)).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(hub.StoredFiles());
        Assert.Empty(hub.StagedFiles());
        Assert.Equal(0, await hub.WithDbAsync(db => db.UploadJobs.CountAsync()));
    }

    [Fact]
    public async Task Upload_NoCenterKey_Returns400WithoutFallback()
    {
        await using var hub = await HubTestHost.CentralHubAsync(new Dictionary<string, string?> { ["LX_ANNOTATE_DEFAULT_CENTER"] = "center-a" });
        await hub.AddCentersAsync("center-a");

        using var response = await hub.UploadAsync(UploadContent.Form(UploadContent.Pdf()), hub.Tokens.Create("alice", ["center-a"]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("center_key", (await HubTestHost.JsonAsync(response)).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(hub.StoredFiles());
        Assert.Empty(hub.StagedFiles());
    }

    [Fact]
    public async Task Upload_UnknownCenterInScope_Returns400()
    {
        await using var hub = await HubTestHost.CentralHubAsync();

        using var response = await hub.UploadAsync(
            UploadContent.Form(UploadContent.Pdf(), fields: UploadContent.Fields(("center_key", "center-z"))),
            hub.Tokens.Create("alice", ["center-z"]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(hub.StagedFiles());
    }

    [Fact]
    public async Task Upload_FileOverConfiguredLimit_Returns413AndKeepsNothing()
    {
        await using var hub = await HubTestHost.CentralHubAsync(new Dictionary<string, string?> { ["LXA_HUB_UPLOAD_MAX_BYTES"] = "1024" });
        await hub.AddCentersAsync("center-a");

        using var response = await hub.UploadAsync(
            UploadContent.Form(UploadContent.Pdf(8192), fields: UploadContent.Fields(("center_key", "center-a"))),
            hub.Tokens.Create("alice", ["center-a"]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("1024", (await HubTestHost.JsonAsync(response)).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(hub.StoredFiles());
        Assert.Empty(hub.StagedFiles());
        Assert.Equal(0, await hub.WithDbAsync(db => db.UploadJobs.CountAsync()));
    }

    [Fact]
    public async Task Upload_ContentLengthFarOverLimit_Returns413BeforeReadingBody()
    {
        await using var hub = await HubTestHost.CentralHubAsync(new Dictionary<string, string?> { ["LXA_HUB_UPLOAD_MAX_BYTES"] = "1024" });
        await hub.AddCentersAsync("center-a");

        using var response = await hub.UploadAsync(
            UploadContent.Form(UploadContent.Pdf(512 * 1024), fields: UploadContent.Fields(("center_key", "center-a"))),
            hub.Tokens.Create("alice", ["center-a"]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains(hub.Logs.Lines, l => l.Message.Contains("reason=too_large", StringComparison.Ordinal));
        Assert.Empty(hub.StoredFiles());
        Assert.Empty(hub.StagedFiles());
    }

    [Fact]
    public async Task Upload_TextFileNamedPdf_Returns415AndDeletesStagedFile()
    {
        await using var hub = await HubTestHost.CentralHubAsync();
        await hub.AddCentersAsync("center-a");

        using var response = await hub.UploadAsync(
            UploadContent.Form(UploadContent.Text("just some notes, not a report\n"), "report.pdf", UploadContent.Fields(("center_key", "center-a"))),
            hub.Tokens.Create("alice", ["center-a"]));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.True((await HubTestHost.JsonAsync(response)).TryGetProperty("error", out _));
        Assert.Empty(hub.StoredFiles());
        Assert.Empty(hub.StagedFiles());
        Assert.Equal(0, await hub.WithDbAsync(db => db.UploadJobs.CountAsync()));
    }
}
