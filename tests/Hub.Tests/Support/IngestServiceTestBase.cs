using System.Security.Cryptography;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Ingest;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.TestSupport;

namespace LxAnnotate.Hub.Tests.Support;

/// <summary>The databases, requests and content the ingest service tests share.</summary>
public abstract class IngestServiceTestBase
{
    public static TheoryData<TestDatabaseKind> Databases() => new() { TestDatabaseKind.Sqlite, TestDatabaseKind.PostgreSql };

    /// <summary>A central hub refuses SQLite; a standalone host serves the same transfer boundary on it.</summary>
    protected static DeploymentRole HubRoleFor(TestDatabaseKind kind) =>
        kind == TestDatabaseKind.PostgreSql ? DeploymentRole.CentralHub : DeploymentRole.Standalone;

    protected static IngestRequest Request(
        IngestMode boundary = IngestMode.Api,
        CallerIdentity? caller = null,
        string? declaredCenter = null,
        string sourceSystem = "endoscopy",
        string? idempotencyKey = null,
        string? originalFilename = "video.mp4") => new()
        {
            Boundary = boundary,
            Entrypoint = boundary switch
            {
                IngestMode.Api => "api.upload",
                IngestMode.Watcher => "watcher.video_import",
                _ => "transfer.grpc",
            },
            Caller = caller ?? CallerIdentity.Anonymous,
            DeclaredCenterKey = declaredCenter,
            SourceSystem = sourceSystem,
            IdempotencyKey = idempotencyKey,
            ContentType = "video/mp4",
            OriginalFilename = originalFilename,
        };

    protected static byte[] RandomBytes(int length) => RandomNumberGenerator.GetBytes(length);

    protected static string Sha256Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
