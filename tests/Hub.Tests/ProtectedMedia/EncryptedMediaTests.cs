using System.Net.Http.Headers;
using System.Net;
using System.Security.Cryptography;
using LxAnnotate.Hub.ProtectedMedia;
using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.Hub.Tests.Upload;
using LxAnnotate.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Tests.ProtectedMedia;

/// <summary>
/// Encrypted (LXENC01) artifacts through <c>GET /api/media/{job_id}</c>: decrypted by range in the hub, never
/// handed to nginx even with the handoff on, and nothing served from a file that does not authenticate.
/// </summary>
public sealed class EncryptedMediaTests
{
    // Small chunks so a short range crosses chunk boundaries.
    private const int ChunkSize = 4096;

    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public async Task Media_EncryptedRangeAcrossChunks_206DecryptedWithoutHandoff()
    {
        await using var hub = await StartAsync(withKey: true);
        var (id, content, file) = await EncryptedJobAsync(hub, 20_000);

        using var response = await GetAsync(hub, $"/api/media/{id}", new RangeHeaderValue(4000, 12_999));

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal($"bytes 4000-12999/{content.Length}", response.Content.Headers.ContentRange!.ToString());
        Assert.Equal(content.AsSpan(4000, 9000).ToArray(), await BodyAsync(response));
        Assert.False(response.Headers.Contains("X-Accel-Redirect"));
        Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);

        var raw = await File.ReadAllBytesAsync(file);
        Assert.True(LxEnc01.HasMagic(raw));
        Assert.Equal(-1, raw.AsSpan().IndexOf(content.AsSpan(100, 32)));
    }

    [Fact]
    public async Task Media_EncryptedWhole_200AndBeyondTheEnd416()
    {
        await using var hub = await StartAsync(withKey: true);
        var (id, content, _) = await EncryptedJobAsync(hub, 9_000);

        using var whole = await GetAsync(hub, $"/api/media/{id}");
        using var beyond = await GetAsync(hub, $"/api/media/{id}", new RangeHeaderValue(9_000, 9_100));

        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(content, await BodyAsync(whole));
        Assert.Contains("bytes", whole.Headers.AcceptRanges);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, beyond.StatusCode);
        Assert.Equal("bytes */9000", beyond.Content.Headers.ContentRange!.ToString());
    }

    [Fact]
    public async Task Media_EncryptedTampered_500WithoutPlaintext()
    {
        await using var hub = await StartAsync(withKey: true);
        var (id, content, file) = await EncryptedJobAsync(hub, 9_000);
        var raw = await File.ReadAllBytesAsync(file);
        raw[^5] ^= 0x01;
        await File.WriteAllBytesAsync(file, raw);

        using var response = await GetAsync(hub, $"/api/media/{id}", new RangeHeaderValue(8_500, 8_999));

        Assert.NotEqual(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(-1, (await BodyAsync(response)).AsSpan().IndexOf(content.AsSpan(8_500, 32)));
    }

    [Fact]
    public async Task Media_EncryptedWithoutMasterKey_500NamingTheKey()
    {
        await using var hub = await StartAsync(withKey: false);
        var (id, _, _) = await EncryptedJobAsync(hub, 1_000);

        using var response = await GetAsync(hub, $"/api/media/{id}");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(
            "encrypted media cannot be served: no master key is configured",
            (await HubTestHost.JsonAsync(response)).GetProperty("error").GetString());
    }

    private static async Task<HubTestHost> StartAsync(bool withKey)
    {
        var hub = await HubTestHost.StandaloneAsync(
            oidc: false,
            new Dictionary<string, string?>
            {
                ["LX_ANNOTATE_DEFAULT_CENTER"] = "clinic",
                ["LX_ANNOTATE_MEDIA_ACCEL_REDIRECT"] = "true",
                ["LX_ANNOTATE_MASTER_KEY"] = withKey ? TestMasterKey.Encode(Key) : null,
            });
        await hub.AddCentersAsync("clinic");
        return hub;
    }

    /// <summary>A job whose stored file is replaced by its LXENC01 encryption, recorded as storage class <c>encrypted</c>.</summary>
    private static async Task<(Guid Id, byte[] Content, string File)> EncryptedJobAsync(HubTestHost hub, int size)
    {
        var content = UploadContent.Pdf(size);
        using var upload = await hub.UploadAsync(UploadContent.Form(content));
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var id = (await HubTestHost.JsonAsync(upload)).GetProperty("upload_id").GetGuid();
        var storagePath = await hub.WithDbAsync(db => db.UploadJobs.Where(j => j.Id == id).Select(j => j.StoragePath).SingleAsync());
        var file = Path.Combine(hub.Paths.StorageDir, storagePath);

        using (var plaintext = new MemoryStream(content))
        {
            await EncryptedFile.WriteAsync(plaintext, file, new MasterKeyRing(Key), overwrite: true, chunkSize: ChunkSize).WaitAsync(HubTestHost.Timeout);
        }

        await hub.WithDbAsync(db => db.UploadJobs.Where(j => j.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.StorageEncoding, MediaApi.EncryptedStorageClass)));
        return (id, content, file);
    }

    private static async Task<HttpResponseMessage> GetAsync(HubTestHost hub, string path, RangeHeaderValue? range = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Range = range;
        return await hub.Client.SendAsync(request).WaitAsync(HubTestHost.Timeout);
    }

    private static async Task<byte[]> BodyAsync(HttpResponseMessage response) =>
        await response.Content.ReadAsByteArrayAsync().WaitAsync(HubTestHost.Timeout);
}
