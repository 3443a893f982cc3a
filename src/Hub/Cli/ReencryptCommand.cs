using System.CommandLine;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Shared.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LxAnnotate.Hub.Cli;

/// <summary>
/// <c>lxa-hub reencrypt [--apply]</c>: lists (dry run, the default) or rewrites, through <see cref="EncryptedStorageSweep"/>,
/// the files under <c>STORAGE_DIR/centers</c> that are plaintext where only encrypted files may be or that only a
/// retiring key opens. Exit 0 when nothing failed, 1 otherwise (an unreadable file counts as a failure).
/// </summary>
internal static class ReencryptCommand
{
    /// <param name="name">The verb: its place in a group, or its former top-level spelling.</param>
    public static Command Create(string name)
    {
        var apply = new Option<bool>("--apply") { Description = "Rewrite the files found (default: only list them)." };
        var command = new Command(name, "List (or with --apply, encrypt / re-wrap) files under STORAGE_DIR that are plaintext where only encrypted files may be, or wrapped with a retiring key.");
        command.Options.Add(apply);
        command.SetAction((parseResult, cancellationToken) => CliHost.RunAsync(parseResult, async (services, ct) =>
        {
            var ring = services.GetRequiredService<EncryptionSettings>().RequireKeyRing();
            var sweep = new EncryptedStorageSweep(services.GetRequiredService<DataPaths>(), ring, services.GetRequiredService<LxaDbContext>());
            var doApply = parseResult.GetValue(apply);
            var findings = sweep.Scan();
            var failed = 0;
            foreach (var finding in findings)
            {
                Console.WriteLine($"{finding.KindName} {finding.RelativePath}");
                if (finding.Kind == SweepFindingKind.Unreadable)
                {
                    failed++;
                    continue;
                }

                if (!doApply)
                {
                    continue;
                }

                try
                {
                    var target = await sweep.ApplyAsync(finding, ct);
                    Console.WriteLine($"  rewritten under the current key: {target}");
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DbUpdateException)
                {
                    failed++;
                    await HubCli.Convention.WriteErrorAsync($"{finding.RelativePath}: {ex.Message}");
                }
            }

            Console.WriteLine(doApply
                ? $"{findings.Count - failed} of {findings.Count} file(s) rewritten"
                : $"{findings.Count} file(s) to rewrite (dry run; --apply rewrites them)");
            return failed == 0 ? 0 : EncryptedCommand.FailureExitCode;
        }, cancellationToken));
        return command;
    }
}
