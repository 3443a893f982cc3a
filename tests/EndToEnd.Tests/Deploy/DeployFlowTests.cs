using LxAnnotate.EndToEnd.Tests.Support;

namespace LxAnnotate.EndToEnd.Tests.Deploy;

/// <summary>
/// deploy/deploy.sh end to end with the real self-contained release: checksum, unpack, migrate on PostgreSQL,
/// atomic switch, restart through a supervisor that really runs the units' programs, acceptance smoke, rollback.
/// Two "versions" are the same binaries repacked with another VERSION. Clients, the smoke test included, reach
/// the hub through nginx (TLS API server, static files, client-certificate node server with grpc_pass).
/// </summary>
[Collection(DeployTestGroup.Name)]
public sealed class DeployFlowTests(ReleaseArtifactFixture release)
{
    [Fact]
    public async Task Deploy_GoodReleases_SwitchRestartPassSmokeAndPruneOldReleases()
    {
        await using var target = await DeployTarget.CreateAsync();
        var first = await target.VariantAsync(release.Artifact, "1.0.0-a");

        // First install: the schema is created by the deploy; the smoke test's node is registered afterwards.
        var install = await target.DeployAsync(first, smoke: false, keep: 1);
        Assert.True(install.ExitCode == 0, install.StandardOutput + install.StandardError);
        Assert.Equal("1.0.0-a", target.Current);
        Assert.NotEmpty(await target.AppliedMigrationsAsync());
        await target.RegisterSmokeNodeAsync();
        Assert.True(await target.AnswersAsync("/readyz", TimeSpan.FromSeconds(60)), target.Log(DeployTarget.HubUnit));
        var firstPid = target.Pid(DeployTarget.HubUnit);

        var second = await target.DeployAsync(await target.VariantAsync(release.Artifact, "1.0.0-b"), keep: 1);

        Assert.True(second.ExitCode == 0, second.StandardOutput + second.StandardError);
        foreach (var check in new[] { "readyz", "hub-check", "encrypted-storage", "node-check", "static", "grpc-health" })
        {
            Assert.Contains($"ok {check}\n", second.StandardOutput, StringComparison.Ordinal);
        }

        Assert.Contains("data tree prepared", second.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("GET /static/smoke.txt", File.ReadAllText(Path.Combine(target.Nginx.Directory, "access.log")), StringComparison.Ordinal);
        Assert.Equal("1.0.0-b", target.Current);
        Assert.NotEqual(firstPid, target.Pid(DeployTarget.HubUnit));
        Assert.Equal("1.0.0-b", target.RunningRelease(DeployTarget.HubUnit));
        Assert.Equal("1.0.0-b", target.RunningRelease(DeployTarget.WatcherUnit));

        var third = await target.DeployAsync(await target.VariantAsync(release.Artifact, "1.0.0-c"), keep: 1);

        Assert.True(third.ExitCode == 0, third.StandardOutput + third.StandardError);
        Assert.Equal("1.0.0-c", target.Current);
        var kept = Directory.GetDirectories(Path.Combine(target.Prefix, "releases")).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(["1.0.0-b", "1.0.0-c"], kept);
    }

    [Fact]
    public async Task Deploy_MigrationFails_NothingRestartedCurrentAndSchemaUnchanged()
    {
        await using var target = await DeployTarget.CreateAsync();
        var install = await target.DeployAsync(await target.VariantAsync(release.Artifact, "2.0.0-a"), smoke: false);
        Assert.True(install.ExitCode == 0, install.StandardOutput + install.StandardError);
        Assert.True(await target.AnswersAsync("/healthz", TimeSpan.FromSeconds(60)), target.Log(DeployTarget.HubUnit));
        var pid = target.Pid(DeployTarget.HubUnit);

        // The database disagrees with its history: the newest migration's objects exist but it is not recorded,
        // so applying it again fails inside its transaction ("already exists").
        Assert.Equal(1, await target.ExecuteSqlAsync(
            "DELETE FROM __ef_migrations_history WHERE ctid = (SELECT ctid FROM __ef_migrations_history ORDER BY 1 DESC LIMIT 1)"));
        var applied = await target.AppliedMigrationsAsync();

        var failed = await target.DeployAsync(await target.VariantAsync(release.Artifact, "2.0.0-b"));

        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("migration with 2.0.0-b failed; nothing was restarted", failed.StandardError, StringComparison.Ordinal);
        Assert.Contains("already exists", failed.StandardError + failed.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("2.0.0-a", target.Current);
        Assert.Equal(pid, target.Pid(DeployTarget.HubUnit));
        Assert.Equal(applied, await target.AppliedMigrationsAsync());
        Assert.True(await target.AnswersAsync("/healthz", TimeSpan.FromSeconds(10)), "the running hub stopped answering");
        Assert.Equal("2.0.0-a", target.RunningRelease(DeployTarget.HubUnit));
    }

    [Fact]
    public async Task Deploy_SmokeFails_RollsBackToPreviousReleaseAndSaysWhy()
    {
        await using var target = await DeployTarget.CreateAsync();
        var install = await target.DeployAsync(await target.VariantAsync(release.Artifact, "3.0.0-a"), smoke: false);
        Assert.True(install.ExitCode == 0, install.StandardOutput + install.StandardError);
        await target.RegisterSmokeNodeAsync();

        // A release whose checksums are right but whose hub cannot start: migrate (which never loads the gRPC
        // reflection assembly) succeeds, serve crashes, the smoke finds no /readyz.
        var broken = await target.VariantAsync(release.Artifact, "3.0.0-b", corrupt: "hub/Grpc.AspNetCore.Server.Reflection.dll");
        var failed = await target.DeployAsync(broken);

        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("rolled back to 3.0.0-a because: acceptance smoke of 3.0.0-b failed", failed.StandardError, StringComparison.Ordinal);
        Assert.Contains("readyz", failed.StandardError, StringComparison.Ordinal);
        Assert.Equal("3.0.0-a", target.Current);
        Assert.True(await target.AnswersAsync("/readyz", TimeSpan.FromSeconds(60)), target.Log(DeployTarget.HubUnit));
        Assert.Equal("3.0.0-a", target.RunningRelease(DeployTarget.HubUnit));
    }
}
