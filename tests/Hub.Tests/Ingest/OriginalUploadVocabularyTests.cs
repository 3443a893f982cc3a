using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Ingest;

namespace LxAnnotate.Hub.Tests.Ingest;

/// <summary>
/// Entry point, storage tier and retention as endoreg-db's <c>UploadJob</c> writes them: <c>api</c>/<c>upload_api</c>
/// for the upload API, <c>watcher</c>/<c>upload_watcher</c> for the watcher (<c>upload_preanonymized</c> with a
/// sidecar), <c>preserve_source</c> because the hub keeps what it stored.
/// </summary>
public sealed class OriginalUploadVocabularyTests
{
    [Theory]
    [InlineData(IngestMode.Api, "api.whatever", null, "api", "upload_api")]
    [InlineData(IngestMode.Watcher, "watcher.local_socket", null, "watcher", "upload_watcher")]
    [InlineData(IngestMode.Watcher, "watcher.local_socket", "sidecar.source_system", "watcher", "upload_preanonymized")]
    [InlineData(IngestMode.Transfer, "transfer.grpc", null, "transfer.grpc", "upload_watcher")]
    [InlineData(IngestMode.Transfer, "transfer.hub_rest", "sidecar.source_system", "transfer.hub_rest", "upload_preanonymized")]
    public void Values_ForEachBoundary_AreTheOriginals(IngestMode boundary, string entrypoint, string? hint, string expectedEntrypoint, string expectedTier)
    {
        var request = Request(boundary, entrypoint, hint);

        Assert.Equal(expectedEntrypoint, OriginalUploadVocabulary.Entrypoint(request));
        Assert.Equal(expectedTier, OriginalUploadVocabulary.StorageTier(request));
        Assert.Equal("preserve_source", OriginalUploadVocabulary.RetentionPolicy(request));
    }

    [Fact]
    public void Values_RequestedByTheBoundary_AreKept()
    {
        var request = Request(IngestMode.Api, "api", null) with { StorageTier = "upload_watcher", RetentionPolicy = "migration_managed" };

        Assert.Equal("upload_watcher", OriginalUploadVocabulary.StorageTier(request));
        Assert.Equal("migration_managed", OriginalUploadVocabulary.RetentionPolicy(request));
    }

    private static IngestRequest Request(IngestMode boundary, string entrypoint, string? hint) => new()
    {
        Boundary = boundary,
        Entrypoint = entrypoint,
        Caller = CallerIdentity.Anonymous,
        SourceSystem = "test",
        ContentType = "application/pdf",
        ProvenanceHints = hint is null ? null : new Dictionary<string, string> { [hint] = "x" },
    };
}
