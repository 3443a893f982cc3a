using System.Net;
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
