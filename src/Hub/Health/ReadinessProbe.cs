using LxAnnotate.Hub.Authentication;
using LxAnnotate.Hub.Coordination;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.DataDir;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Operators;
using LxAnnotate.Shared.Configuration;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Health;

/// <summary>
/// What <c>/readyz</c> checks: database reachable and writable (a PostgreSQL standby is not ready), migrations
/// applied, storage writable, the data tree (as <c>lxa-hub check</c>), CA file readable, and, reported without
/// ever making the hub not ready, node certificates near or past their end and which replica holds the singleton lease.
/// </summary>
internal sealed class ReadinessProbe(
    LxaDbContext db, DataPaths paths, NodeCertificateOptions settings, TimeProvider time, SingletonLease lease, DatabaseLocks locks)
{
    public async Task<IReadOnlyDictionary<string, ReadinessCheck>> RunAsync(CancellationToken cancellationToken)
    {
        var checks = new Dictionary<string, ReadinessCheck>(StringComparer.Ordinal);

        bool reachable;
        try
        {
            reachable = await db.Database.CanConnectAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            reachable = false;
        }

        checks["database"] = reachable ? await WritableAsync(cancellationToken) : new ReadinessCheck(false, "not reachable");
        if (reachable)
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
            checks["migrations"] = new ReadinessCheck(pending == 0, pending == 0 ? "applied" : $"{pending} pending: run lxa-hub migrate");
            if (pending == 0)
            {
                checks["node_certificates"] = await NodeCertificateExpiryAsync(cancellationToken);
            }

            checks["lease"] = await LeaseAsync(cancellationToken);
        }
        else
        {
            checks["migrations"] = new ReadinessCheck(false, "unknown: database not reachable");
        }

        checks["storage"] = StorageWritable();
        checks["data_tree"] = DataTree();
        if (settings.NodeCaFile is { } ca)
        {
            checks["node_ca"] = CaReadable(ca);
        }

        return checks;
    }

    /// <summary>
    /// A replica must reach the primary: after a failover a connection may still land on a server in recovery,
    /// which answers reads and refuses every write.
    /// </summary>
    private async Task<ReadinessCheck> WritableAsync(CancellationToken cancellationToken)
    {
        if (!db.Database.IsNpgsql())
        {
            return new ReadinessCheck(true, "reachable");
        }

        var inRecovery = await db.Database.SqlQuery<bool>($"""SELECT pg_is_in_recovery() AS "Value" """).SingleAsync(cancellationToken);
        return inRecovery ? new ReadinessCheck(false, "reachable but read-only (a standby in recovery)") : new ReadinessCheck(true, "reachable, read-write");
    }

    /// <summary>Reported only: a replica without the lease serves transfers as well as its holder.</summary>
    private async Task<ReadinessCheck> LeaseAsync(CancellationToken cancellationToken)
    {
        if (lease.Held)
        {
            return new ReadinessCheck(true, $"held by this replica ({lease.ReplicaId})");
        }

        var holder = await locks.HolderAsync(LockKeys.SingletonLease, cancellationToken);
        return new ReadinessCheck(true, holder is null ? "not held by any replica yet" : $"held by replica {holder}");
    }

    /// <summary>Active certificates only: a revoked one is an operator's decision, not something about to stop working.</summary>
    private async Task<ReadinessCheck> NodeCertificateExpiryAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var soon = now + CertificateDisplayStatus.ExpiringWindow;
        var active = db.NodeCertificates.AsNoTracking().Where(c => c.Status == NodeCertificateStatus.Active);
        var expired = await active.CountAsync(c => c.NotAfter <= now, cancellationToken);
        var expiring = await active.CountAsync(c => c.NotAfter > now && c.NotAfter <= soon, cancellationToken);
        return new ReadinessCheck(true, $"{expiring} expiring within {CertificateDisplayStatus.ExpiringWindow.TotalDays:0} days, {expired} expired");
    }

    /// <summary>The findings of <c>lxa-hub check</c>: not ready on any critical one; warnings are named but do not fail.</summary>
    private ReadinessCheck DataTree()
    {
        var report = CheckReport.From(new DataTreeInspector(paths).Inspect());
        var problems = report.Findings.Where(f => f.Severity != "OK").Select(f => $"{f.Severity} {f.Check} {f.Name}: {f.Message}");
        var detail = $"{report.Critical} critical, {report.Warnings} warning(s)";
        var listed = string.Join("; ", problems);
        return new ReadinessCheck(report.Ok, listed.Length == 0 ? detail : $"{detail}: {listed}");
    }

    private ReadinessCheck StorageWritable()
    {
        try
        {
            Directory.CreateDirectory(paths.IncomingDir);
            var probe = Path.Combine(paths.IncomingDir, $".ready-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, [1]);
            File.Delete(probe);
            return new ReadinessCheck(true, "writable");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new ReadinessCheck(false, "not writable");
        }
    }

    private static ReadinessCheck CaReadable(string path)
    {
        try
        {
            using var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(path);
            return new ReadinessCheck(true, "readable");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            return new ReadinessCheck(false, "not readable");
        }
    }
}
