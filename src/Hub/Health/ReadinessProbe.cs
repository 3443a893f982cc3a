using LxAnnotate.Hub.Hosting;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Data;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Health;

/// <summary>What <c>/readyz</c> checks: database reachable, migrations applied, storage writable, CA file readable.</summary>
internal sealed class ReadinessProbe(LxaDbContext db, DataPaths paths, HubSettings settings)
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

        checks["database"] = new ReadinessCheck(reachable, reachable ? "reachable" : "not reachable");
        if (reachable)
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
            checks["migrations"] = new ReadinessCheck(pending == 0, pending == 0 ? "applied" : $"{pending} pending: run lxa-hub migrate");
        }
        else
        {
            checks["migrations"] = new ReadinessCheck(false, "unknown: database not reachable");
        }

        checks["storage"] = StorageWritable();
        if (settings.NodeCaFile is { } ca)
        {
            checks["node_ca"] = CaReadable(ca);
        }

        return checks;
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
