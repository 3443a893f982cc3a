using System.CommandLine;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Data;
using LxAnnotate.Shared.Ingest;
using LxAnnotate.Shared.Storage;
using LxAnnotate.Shared.Storage.Encryption;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LxAnnotate.Hub.Cli;

/// <summary>
/// <c>lxa-hub reencrypt [--apply]</c>: finds files under <c>STORAGE_DIR/centers</c> that should be encrypted with the
/// current master key but are not: plaintext sensitive artifacts (<c>.pdf</c>, <c>.txt</c>, <c>.json</c>, …, e.g. stored
/// before a key was configured), <c>.lxenc</c> files without the LXENC01 magic, and LXENC01 files a retiring key opens.
/// Dry run by default; <c>--apply</c> rewrites each one atomically and verifies it before the old file goes.
/// </summary>
internal static class ReencryptCommand
{
    private static readonly string[] SensitiveExtensions = [".pdf", ".txt", ".json"];

    public static Command Create()
    {
        var apply = new Option<bool>("--apply") { Description = "Rewrite the files found (default: only list them)." };
        var command = new Command("reencrypt", "List (or with --apply, encrypt / re-wrap) files under STORAGE_DIR that are plaintext where only encrypted files may be, or wrapped with a retiring key.");
        command.Options.Add(apply);
        command.SetAction((parseResult, cancellationToken) => CliHost.RunAsync(parseResult, async (services, ct) =>
        {
            var ring = services.GetRequiredService<EncryptionSettings>().RequireKeyRing();
            var paths = services.GetRequiredService<DataPaths>();
            var db = services.GetRequiredService<LxaDbContext>();
            var doApply = parseResult.GetValue(apply);
            var centers = Path.Combine(paths.StorageDir, "centers");
            var files = Directory.Exists(centers)
                ? Directory.EnumerateFiles(centers, "*", SearchOption.AllDirectories)
                    .Where(f => !Path.GetFileName(f).StartsWith('.'))
                    .Order(StringComparer.Ordinal)
                    .ToList()
                : [];

            int found = 0, failed = 0;
            foreach (var file in files)
            {
                var relative = Path.GetRelativePath(paths.StorageDir, file);
                var finding = Classify(file, ring);
                if (finding is null)
                {
                    continue;
                }

                found++;
                Console.WriteLine($"{finding} {relative}");
                if (finding == "unreadable")
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
                    var target = await ApplyAsync(db, paths.StorageDir, relative, finding, ring, ct);
                    Console.WriteLine($"  rewritten under the current key: {target}");
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DbUpdateException)
                {
                    failed++;
                    await Console.Error.WriteLineAsync($"lxa-hub: {relative}: {ex.Message}");
                }
            }

            Console.WriteLine(doApply
                ? $"{found - failed} of {found} file(s) rewritten"
                : $"{found} file(s) to rewrite (dry run; --apply rewrites them)");
            return failed == 0 ? 0 : EncryptedCommand.FailureExitCode;
        }, cancellationToken));
        return command;
    }

    /// <returns><c>plaintext</c>, <c>retiring-key</c>, <c>unreadable</c>, or null when the file is fine.</returns>
    private static string? Classify(string file, MasterKeyRing ring)
    {
        var encryptedName = file.EndsWith(ContentStore.EncryptedSuffix, StringComparison.Ordinal);
        if (!LxEnc01.IsEncryptedFile(file))
        {
            return encryptedName || SensitiveExtensions.Contains(Path.GetExtension(file), StringComparer.Ordinal) ? "plaintext" : null;
        }

        try
        {
            using var reader = LxEnc01ReadStream.OpenFile(file, ring);
            return reader.KeyIndex > 0 ? "retiring-key" : null;
        }
        catch (EncryptedStorageException)
        {
            return "unreadable";
        }
    }

    /// <summary>Rewrites one file; a plaintext artifact moves to its <c>.lxenc</c> name and its jobs follow it.</summary>
    private static async Task<string> ApplyAsync(LxaDbContext db, string storageDir, string relative, string finding, MasterKeyRing ring, CancellationToken ct)
    {
        var file = Path.Combine(storageDir, relative);
        if (finding == "retiring-key" || relative.EndsWith(ContentStore.EncryptedSuffix, StringComparison.Ordinal))
        {
            await EncryptedFile.ReencryptInPlaceAsync(file, ring, cancellationToken: ct);
            return relative;
        }

        var targetRelative = relative + ContentStore.EncryptedSuffix;
        var target = Path.Combine(storageDir, targetRelative);
        string sha256;
        await using (var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 256 * 1024, useAsync: true))
        {
            sha256 = File.Exists(target)
                ? Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(source, ct))
                : (await EncryptedFile.WriteAsync(source, target, ring, cancellationToken: ct)).PlaintextSha256;
        }

        // The encrypted copy must decrypt to exactly the plaintext before anything points at it.
        if (!string.Equals(await EncryptedFile.Sha256Async(target, ring, cancellationToken: ct), sha256, StringComparison.Ordinal))
        {
            throw new IOException($"{targetRelative} does not decrypt to the content of {relative}; the plaintext was kept.");
        }

        await db.UploadJobs
            .Where(j => j.StoragePath == relative)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.StoragePath, targetRelative).SetProperty(j => j.StorageClass, StorageClasses.Encrypted), ct);
        File.Delete(file);
        NativeFileSystem.FsyncDirectory(Path.GetDirectoryName(file)!);
        return targetRelative;
    }
}
