using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using LxAnnotate.Node.Files;
using LxAnnotate.Node.Hosting;
using LxAnnotate.Node.Sync;
using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Node.Cli;

/// <summary>
/// <c>lxa-node check</c>: the readiness checks a post-deploy smoke step runs. One line per problem and a
/// non-zero exit when there is any; warnings (a certificate expiring soon) do not fail the check.
/// </summary>
internal static class CheckCommand
{
    public const int ProblemsExitCode = 1;

    public static Command Create()
    {
        var command = new Command("check", "Check drop folders, outbox filesystem, certificates and hub reachability.");
        command.SetAction((parseResult, cancellationToken) => NodeCli.GuardAsync(() => CheckAsync(parseResult, cancellationToken)));
        return command;
    }

    private static async Task<int> CheckAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        using var host = NodeHost.CreateBuilder(NodeCli.EnvFileValues(parseResult)).Build();
        var paths = host.Services.GetRequiredService<DataPaths>();
        var settings = host.Services.GetRequiredService<NodeSettings>();
        var problems = new List<string>();
        var warnings = new List<string>();
        CheckDropFolders(paths, settings, problems);
        if (settings.HubUrl is not null)
        {
            CheckCertificate(settings.CertificateFile!, "node certificate", problems, warnings);
            CheckCertificate(settings.HubCaFile!, "hub CA", problems, warnings);
        }

        try
        {
            var hub = host.Services.GetRequiredService<HubConnection>();
            if (await StatusCommand.ReachableAsync(hub, cancellationToken) is { } unreachable)
            {
                problems.Add($"hub {hub.Target}: {unreachable}");
            }
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            problems.Add("hub not tried: the node certificate and key cannot be loaded");
        }

        foreach (var warning in warnings)
        {
            Console.WriteLine($"warning: {warning}");
        }

        foreach (var problem in problems)
        {
            await Console.Error.WriteLineAsync($"lxa-node: {problem}");
        }

        if (problems.Count == 0)
        {
            Console.WriteLine("ok");
        }

        return problems.Count == 0 ? 0 : ProblemsExitCode;
    }

    /// <summary>Each drop folder exists, is writable and shares the outbox's filesystem.</summary>
    private static void CheckDropFolders(DataPaths paths, NodeSettings settings, List<string> problems)
    {
        Directory.CreateDirectory(settings.OutboxDir);
        NativeStat.TryLstat(settings.OutboxDir, out var outbox);
        foreach (var folder in new[] { paths.VideoImport, paths.ReportImport, paths.PreanonymizedImport })
        {
            if (!Directory.Exists(folder))
            {
                problems.Add($"drop folder {folder} does not exist");
                continue;
            }

            if (!Writable(folder))
            {
                problems.Add($"drop folder {folder} is not writable");
            }

            // Taking a file is a rename: it is atomic only within one filesystem.
            if (NativeStat.TryLstat(folder, out var stat) && stat.Signature.Device != outbox.Signature.Device)
            {
                problems.Add($"drop folder {folder} is not on the filesystem of the outbox {settings.OutboxDir}");
            }
        }
    }

    private static bool Writable(string folder)
    {
        var probe = Path.Combine(folder, $".lxa-check-{Guid.NewGuid():N}");
        try
        {
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void CheckCertificate(string path, string what, List<string> problems, List<string> warnings)
    {
        try
        {
            using var certificate = X509CertificateLoader.LoadCertificateFromFile(path);
            var left = certificate.NotAfter.ToUniversalTime() - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                problems.Add($"{what} {path} expired on {certificate.NotAfter.ToUniversalTime():u}");
            }
            else if (left < TimeSpan.FromDays(30))
            {
                warnings.Add($"{what} {path} expires on {certificate.NotAfter.ToUniversalTime():u} (in {left.Days} days)");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            problems.Add($"{what} {path} is not readable as a certificate");
        }
    }
}
