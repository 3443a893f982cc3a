using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Hub.Storage;
using LxAnnotate.Shared.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LxAnnotate.Hub.Cli;

/// <summary>
/// <c>lxa-hub verify-encrypted-storage</c>: writes a probe with a random marker under <c>STORAGE_DIR</c> through the
/// encrypted store, reads it back, then reads the raw bytes from disk: the magic must be there and the marker must not.
/// The probe is removed in every case.
/// </summary>
internal static class VerifyEncryptedStorageCommand
{
    /// <param name="name">The verb: its place in a group, or its former top-level spelling.</param>
    public static Command Create(string name)
    {
        var command = new Command(name, "Prove that artifacts written to STORAGE_DIR are encrypted on disk and read back (exit 0 = OK, 1 = failed).");
        command.SetAction((parseResult, cancellationToken) => CliHost.RunAsync(parseResult, async (services, ct) =>
        {
            services.GetRequiredService<EncryptionSettings>().RequireKeyRing();
            var store = services.GetRequiredService<EncryptedArtifactStore>();
            var marker = "lxa-probe-marker-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            var plaintext = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(marker + "\n", 64)));
            var relative = $".verify-encrypted-storage-{Guid.NewGuid():N}.lxenc";
            var path = store.AbsolutePath(relative);
            try
            {
                await store.WriteAsync(new MemoryStream(plaintext), relative, cancellationToken: ct);
                await using (var reader = store.OpenRead(relative, plaintext.Length))
                {
                    var back = new byte[plaintext.Length];
                    await reader.ReadExactlyAsync(back, ct);
                    if (!back.AsSpan().SequenceEqual(plaintext))
                    {
                        return await EncryptedCommand.FailAsync("encrypted storage check failed: the probe did not read back unchanged");
                    }
                }

                var raw = await File.ReadAllBytesAsync(path, ct);
                if (!LxEnc01.HasMagic(raw))
                {
                    return await EncryptedCommand.FailAsync($"encrypted storage check failed: the probe on disk lacks the LXENC01 magic ({path})");
                }

                if (raw.AsSpan().IndexOf(Encoding.ASCII.GetBytes(marker)) >= 0)
                {
                    return await EncryptedCommand.FailAsync($"encrypted storage check failed: the probe's marker is readable in plaintext on disk ({path})");
                }

                Console.WriteLine($"encrypted storage OK: a probe under {Path.GetDirectoryName(path)} was encrypted on disk and read back");
                return 0;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return await EncryptedCommand.FailAsync($"encrypted storage check failed: {ex.Message}");
            }
            finally
            {
                ContentStore.DeleteQuietly(path);
            }
        }, cancellationToken));
        return command;
    }
}
