using System.Net;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.Hub.Tests.Upload;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Tests.Health;

public sealed class HealthEndpointTests
{
    [Fact]
    public async Task Healthz_RunningHub_IsAlive()
    {
        await using var hub = await HubTestHost.StandaloneAsync(oidc: false);

        using var response = await hub.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("alive", (await HubTestHost.JsonAsync(response)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readyz_MigratedDatabaseWritableStorage_IsReadyWithEachCheck()
    {
        await using var hub = await HubTestHost.StandaloneAsync(oidc: false);

        using var response = await hub.GetAsync("/readyz");
        var body = await HubTestHost.JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ready", body.GetProperty("status").GetString());
        foreach (var check in new[] { "database", "migrations", "storage" })
        {
            Assert.True(body.GetProperty("checks").GetProperty(check).GetProperty("ok").GetBoolean(), check);
        }
    }

    [Fact]
    public async Task Readyz_ExpiringAndExpiredActiveCertificates_WarnsButStaysReady()
    {
        await using var hub = await HubTestHost.StandaloneAsync(oidc: false);
        await hub.AddCentersAsync("center-a");
        var now = DateTimeOffset.UtcNow;
        await hub.WithDbAsync(async db =>
        {
            var node = new NetworkNode { NodeKey = "site-a", Role = "site_node", OwningCenterId = db.Centers.Single().Id, CreatedAt = now };
            foreach (var (days, status) in new[] { (10, NodeCertificateStatus.Active), (20, NodeCertificateStatus.Active), (-1, NodeCertificateStatus.Active), (-2, NodeCertificateStatus.Revoked), (200, NodeCertificateStatus.Active) })
            {
                node.Certificates.Add(new NodeCertificate
                {
                    ThumbprintSha256 = Guid.NewGuid().ToString("N").ToUpperInvariant() + Guid.NewGuid().ToString("N").ToUpperInvariant(),
                    SerialNumber = "01",
                    Subject = "CN=site-a",
                    NotBefore = now.AddDays(-300),
                    NotAfter = now.AddDays(days),
                    Status = status,
                    CreatedAt = now,
                });
            }

            db.NetworkNodes.Add(node);
            return await db.SaveChangesAsync();
        });

        using var response = await hub.GetAsync("/readyz");
        var check = (await HubTestHost.JsonAsync(response)).GetProperty("checks").GetProperty("node_certificates");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(check.GetProperty("ok").GetBoolean());
        Assert.Equal("2 expiring within 30 days, 1 expired", check.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Readyz_MigrationPending_Is503NamingMigrate()
    {
        await using var hub = await HubTestHost.StandaloneAsync(oidc: false);
        await hub.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(
            "DELETE FROM __ef_migrations_history WHERE migration_id = (SELECT max(migration_id) FROM __ef_migrations_history)"));

        using var response = await hub.GetAsync("/readyz");
        var migrations = (await HubTestHost.JsonAsync(response)).GetProperty("checks").GetProperty("migrations");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.False(migrations.GetProperty("ok").GetBoolean());
        Assert.Contains("lxa-hub migrate", migrations.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
