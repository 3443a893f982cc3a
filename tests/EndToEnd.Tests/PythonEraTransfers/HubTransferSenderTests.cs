using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.Json;
using LxAnnotate.EndToEnd.Tests.Support;
using LxAnnotate.Hub.Domain;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.EndToEnd.Tests.PythonEraTransfers;

/// <summary>
/// A Python-era sender (<c>python/hub_sender.py</c>, written from the wire description with <c>requests</c>
/// and <c>cryptography</c>) against the real hub over HTTPS with client certificates.
/// </summary>
public sealed class HubTransferSenderTests(HubTransferFixture fixture) : IClassFixture<HubTransferFixture>
{
    private static readonly string[] ReceiptKeys =
    [
        "contract_version", "envelope_contract_version", "profile", "transfer_key", "source_node_key", "source_center_key",
        "target_node_key", "resource_kind", "resource_hash", "processed_media_hash", "transfer_mode", "media_role",
        "plaintext_sha256", "plaintext_size", "recipient_key_id", "ciphertext_sha256", "ciphertext_size",
        "envelope_fingerprint_sha256", "receiver_transfer_id", "transfer_status", "processing_decision", "verified",
    ];

    private HubTransferSite Site => fixture.Site;

    [Fact]
    public async Task Create_SamePayloadTwice_201Then200_DifferentPayload409()
    {
        var (payload, _, key) = Site.NewReport("3.0");

        var first = await Site.CreateAsync(payload);
        var again = await Site.CreateAsync(payload);
        payload["processing_intent"] = "something_else";
        var conflict = await Site.CreateAsync(payload);

        Assert.Equal(201, first.Status);
        Assert.Equal("awaiting_media", first.Text("transfer_status"));
        Assert.Equal(200, again.Status);
        Assert.Equal(first.Text("id"), again.Text("id"));
        Assert.Equal(409, conflict.Status);
        Assert.Equal("transfer_key already exists for a different transfer payload", conflict.Text("error"));
        var status = await Site.StatusAsync(key);
        Assert.Equal(200, status.Status);
        Assert.Equal(first.Text("processed_media_hash"), status.Text("processed_media_hash"));
    }

    [Fact]
    public async Task Create_InvalidPayload_400WithFieldsAndRejectionCode()
    {
        var (payload, _, _) = Site.NewReport("3.0");
        payload["transfer_mode"] = "metadata_and_raw_media";
        payload["resource_rows"]!["raw_pdf_file"]!["text"] = "report text";

        var result = await Site.CreateAsync(payload);

        Assert.Equal(400, result.Status);
        Assert.Equal("transfer_mode_not_supported", result.Text("rejection_code"));
        Assert.Equal("create_validation", result.Text("rejection_phase"));
        var fields = result.Body.GetProperty("error_fields").EnumerateArray().Select(f => f.GetString()).ToList();
        Assert.Contains("transfer_mode", fields);
        Assert.Contains("resource_rows", fields);
        Assert.True(result.Body.GetProperty("transfer_mode").GetArrayLength() > 0);
    }

    [Fact]
    public async Task Plaintext20_WithFlag_AppliedThroughIngestCore()
    {
        var (payload, media, key) = Site.NewReport("2.0");
        Assert.Equal(201, (await Site.CreateAsync(payload)).Status);

        var result = await Site.MediaAsync(key, "plain", media);

        Assert.Equal(200, result.Status);
        Assert.Equal("applied", result.Text("transfer_status"));
        Assert.Equal("skip_processing_preserved_state", result.Text("processing_decision"));
        await using var db = Site.Hub.Db();
        var job = await db.HubTransferJobs.SingleAsync(j => j.TransferKey == key);
        var upload = await db.UploadJobs.SingleAsync(u => u.Id == job.UploadJobId);
        Assert.Equal(IngestMode.Transfer, upload.IngestMode);
        Assert.Equal(HubTransferSite.NodeKey, upload.ProcessingProvenance.SourceNodeKey);
        Assert.Equal(key, upload.ProcessingProvenance.TransferKey);
        Assert.Null(upload.ProcessingProvenance.EnvelopeFingerprintSha256);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(media))), upload.ContentHash);
        Assert.Contains("raw_pdf_state", job.ResourceRows, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2.0", "plain")]
    [InlineData("3.0", "multipart")]
    public async Task ReportMedia_AppliedAsEncryptedClass_NoPlaintextOnDisk(string version, string mode)
    {
        var (payload, media, key) = Site.NewReport(version, size: 3 * 1024 * 1024);
        var slice = (await File.ReadAllBytesAsync(media))[(1024 * 1024)..((1024 * 1024) + 64)];
        Assert.Equal(201, (await Site.CreateAsync(payload)).Status);

        var result = await Site.MediaAsync(key, mode, media);

        Assert.Equal(200, result.Status);
        Assert.Equal("applied", result.Text("transfer_status"));
        await using var db = Site.Hub.Db();
        var job = await db.HubTransferJobs.SingleAsync(j => j.TransferKey == key);
        var upload = await db.UploadJobs.SingleAsync(u => u.Id == job.UploadJobId);
        Assert.EndsWith(".lxenc", upload.StoragePath, StringComparison.Ordinal);
        Assert.Empty(LxAnnotate.TestSupport.PlaintextMarker.FilesContaining(Site.Hub.Root.Path, slice, media));
    }

    [Fact]
    public async Task Envelope30Multipart_Applied_ReceiptExactKeys_ExactReplay200_ChangedReplay409()
    {
        var (payload, media, key) = Site.NewReport("3.0");
        Assert.Equal(201, (await Site.CreateAsync(payload)).Status);
        var saved = Site.Hub.Root.Combine($"sent-{Guid.NewGuid():N}");

        var result = await Site.MediaAsync(key, "multipart", media, "--save", saved);
        var replay = await Site.MediaAsync(key, "multipart", media, "--reuse", saved);
        var changed = await Site.MediaAsync(key, "multipart", media);

        Assert.Equal(200, result.Status);
        Assert.Equal("applied", result.Text("transfer_status"));
        var receipt = result.Body.GetProperty("envelope_receipt");
        Assert.Equal(ReceiptKeys.Order(StringComparer.Ordinal), receipt.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.True(receipt.GetProperty("verified").GetBoolean());
        Assert.Equal("hub_media_envelope_receipt_v1", receipt.GetProperty("contract_version").GetString());
        Assert.Equal(result.Text("id"), receipt.GetProperty("receiver_transfer_id").GetString());
        var envelope = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(saved, "envelope.json"))).RootElement;
        Assert.Equal(envelope.GetProperty("recipient_key_id").GetString(), receipt.GetProperty("recipient_key_id").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(saved, "ciphertext.bin")))), receipt.GetProperty("ciphertext_sha256").GetString());

        Assert.Equal(200, replay.Status);
        Assert.Equal(receipt.GetRawText(), replay.Body.GetProperty("envelope_receipt").GetRawText());

        Assert.Equal(409, changed.Status);
        Assert.Equal("inconsistent", changed.Text("transfer_status"));
        await using var db = Site.Hub.Db();
        var job = await db.HubTransferJobs.SingleAsync(j => j.TransferKey == key);
        var upload = await db.UploadJobs.SingleAsync(u => u.Id == job.UploadJobId);
        Assert.Equal(receipt.GetProperty("envelope_fingerprint_sha256").GetString(), upload.ProcessingProvenance.EnvelopeFingerprintSha256);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(media))), upload.ContentHash);
    }

    [Fact]
    public async Task Envelope30Raw_Applied()
    {
        var (payload, media, key) = Site.NewReport("3.0");
        Assert.Equal(201, (await Site.CreateAsync(payload)).Status);

        var result = await Site.MediaAsync(key, "raw", media);

        Assert.Equal(200, result.Status);
        Assert.Equal("applied", result.Text("transfer_status"));
        Assert.True(result.Body.GetProperty("envelope_receipt").GetProperty("verified").GetBoolean());
    }

    [Fact]
    public async Task Create_WrongSecret_403()
    {
        var (payload, _, _) = Site.NewReport("3.0");

        var result = await Site.CreateAsync(payload, "--secret", "not-the-secret");

        Assert.Equal(403, result.Status);
        Assert.Equal("Invalid network node credentials.", result.Text("detail"));
    }

    [Fact]
    public async Task Create_WrongCenter_403()
    {
        var (payload, _, _) = Site.NewReport("3.0");
        payload["source_center_key"] = HubTransferSite.OtherCenterKey;

        var result = await Site.CreateAsync(payload);

        Assert.Equal(403, result.Status);
        Assert.Contains("owning center", result.Text("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_NoClientCertificate_403()
    {
        var (payload, _, _) = Site.NewReport("3.0");

        var result = await Site.CreateAsync(payload, "--no-cert");

        Assert.Equal(403, result.Status);
        Assert.Contains("client certificate", result.Text("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_ForgedAttestationFromNonProxy_403()
    {
        var (payload, _, _) = Site.NewReport("3.0");
        var forwarded = Uri.EscapeDataString(await File.ReadAllTextAsync(Site.CertificateFile));

        var result = await Site.CreateAsync(payload, "--no-cert",
            "--header", $"{HubTransferSite.AttestationHeader}={HubTransferSite.AttestationValue}",
            "--header", $"X-SSL-Client-Cert={forwarded}",
            "--header", "X-Forwarded-Proto=https");

        Assert.Equal(403, result.Status);
        Assert.Contains("client certificate", result.Text("detail"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ciphertext", "authentication_failed")]
    [InlineData("nonce", "authentication_failed")]
    public async Task Media_Tampered_400AuthenticationFailed_JobStillAwaitsMedia(string tamper, string code)
    {
        var (payload, media, key) = Site.NewReport("3.0");
        Assert.Equal(201, (await Site.CreateAsync(payload)).Status);

        var result = await Site.MediaAsync(key, "raw", media, "--tamper", tamper);

        Assert.Equal(400, result.Status);
        Assert.Equal(code, result.Text("rejection_code"));
        Assert.Equal("awaiting_media", result.Text("transfer_status"));
        await using var db = Site.Hub.Db();
        Assert.Null((await db.HubTransferJobs.SingleAsync(j => j.TransferKey == key)).UploadJobId);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(Site.Hub.StorageDir, "incoming"), "hub-transfer-*"));
    }

    [Fact]
    public async Task Media_WrongRecipient_400RecipientKeyUnavailable()
    {
        var (payload, media, key) = Site.NewReport("3.0");
        Assert.Equal(201, (await Site.CreateAsync(payload)).Status);

        var result = await Site.SendAsync(["media", "--transfer-key", key, "--mode", "multipart", "--file", media, "--recipient", Site.OtherPublicKey]);

        Assert.Equal(400, result.Status);
        Assert.Equal("recipient_key_unavailable", result.Text("rejection_code"));
        Assert.Equal("key_unwrap", result.Text("rejection_phase"));
    }

    [Fact]
    public async Task Media_TruncatedBody_400SizeMismatch()
    {
        var (payload, media, key) = Site.NewReport("3.0");
        Assert.Equal(201, (await Site.CreateAsync(payload)).Status);

        var result = await Site.MediaAsync(key, "raw", media, "--truncate", "100");

        Assert.Equal(400, result.Status);
        Assert.Equal("size_mismatch", result.Text("rejection_code"));
    }

    [Fact]
    public async Task Media_OversizedEnvelopeHeader_400()
    {
        var (payload, media, key) = Site.NewReport("3.0");
        Assert.Equal(201, (await Site.CreateAsync(payload)).Status);

        var result = await Site.MediaAsync(key, "raw", media, "--pad-envelope", "4096");

        Assert.Equal(400, result.Status);
        Assert.Equal("envelope_too_large", result.Text("rejection_code"));
    }

    [Fact]
    public async Task Media_ConcurrentUpload_409InProgress_FirstStillApplies()
    {
        var (payload, media, key) = Site.NewReport("3.0", size: 300_000);
        Assert.Equal(201, (await Site.CreateAsync(payload)).Status);
        var signal = Site.Hub.Root.Combine($"go-{Guid.NewGuid():N}");
        var slow = Site.MediaAsync(key, "raw", media, "--hold-until", signal);

        await using (var db = Site.Hub.Db())
        {
            for (var i = 0; i < 600 && (await db.HubTransferJobs.AsNoTracking().SingleAsync(j => j.TransferKey == key)).MediaUploadStartedAt is null; i++)
            {
                await Task.Delay(50);
            }
        }

        var second = await Site.MediaAsync(key, "raw", media);
        await File.WriteAllTextAsync(signal, "go");
        var first = await slow.WaitAsync(TimeSpan.FromSeconds(120));

        Assert.Equal(409, second.Status);
        Assert.Equal("Transfer media attachment is already in progress.", second.Text("detail"));
        Assert.Equal(200, first.Status);
        Assert.Equal("applied", first.Text("transfer_status"));
    }
}
