using System.CommandLine;
using System.Globalization;
using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Shared.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LxAnnotate.Hub.Cli;

/// <summary>
/// <c>lxa-hub encrypted put|cat</c>: encrypt a file into LXENC01 and decrypt one to standard output (whole or a byte
/// range), with the configured master key ring, for operators and interoperability checks.
/// </summary>
internal static class EncryptedCommand
{
    public const int FailureExitCode = 1;

    public static Command Create()
    {
        var command = new Command("encrypted", "LXENC01 encrypted storage: encrypt and decrypt files, prove that storage is encrypted, re-encrypt (master key from LX_ANNOTATE_MASTER_KEY[_FILE]).");
        command.Subcommands.Add(Put());
        command.Subcommands.Add(Cat());
        command.Subcommands.Add(VerifyEncryptedStorageCommand.Create("verify"));
        command.Subcommands.Add(ReencryptCommand.Create("reencrypt"));
        return command;
    }

    private static Command Put()
    {
        var source = new Argument<FileInfo>("SRC") { Description = "Plaintext file to encrypt." };
        var destination = new Argument<FileInfo>("DEST") { Description = "LXENC01 file to create (must not exist); written atomically." };
        var chunkSize = new Option<int>("--chunk-size") { Description = "Plaintext bytes per chunk (1 to 67108864).", DefaultValueFactory = _ => LxEnc01.DefaultChunkSize };
        var command = new Command("put", "Encrypt SRC into the LXENC01 file DEST with the current master key.");
        command.Arguments.Add(source);
        command.Arguments.Add(destination);
        command.Options.Add(chunkSize);
        command.SetAction((parseResult, cancellationToken) => CliHost.RunAsync(parseResult, async (services, ct) =>
        {
            var ring = services.GetRequiredService<EncryptionSettings>().RequireKeyRing();
            var size = parseResult.GetValue(chunkSize);
            if (size is <= 0 or > LxEnc01.MaxChunkSize)
            {
                return await FailAsync($"--chunk-size must be between 1 and {LxEnc01.MaxChunkSize}");
            }

            var src = parseResult.GetValue(source)!;
            var dest = parseResult.GetValue(destination)!;
            if (!src.Exists)
            {
                return await FailAsync($"{src.FullName} does not exist");
            }

            if (dest.Exists)
            {
                return await FailAsync($"{dest.FullName} already exists; nothing was written");
            }

            await using var input = new FileStream(src.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 256 * 1024, useAsync: true);
            var written = await EncryptedFile.WriteAsync(input, dest.FullName, ring, overwrite: false, chunkSize: size, cancellationToken: ct);
            Console.WriteLine($"encrypted {written.PlaintextLength} bytes (sha256 {written.PlaintextSha256}) into {dest.FullName}");
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Command Cat()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "LXENC01 file to decrypt." };
        var range = new Option<string?>("--range") { Description = "Only bytes START-END (inclusive, zero-based, like HTTP; 'START-' to the end)." };
        var command = new Command("cat", "Decrypt an LXENC01 file to standard output; every chunk is verified before its bytes are written.");
        command.Arguments.Add(file);
        command.Options.Add(range);
        command.SetAction((parseResult, cancellationToken) => CliHost.RunAsync(parseResult, async (services, ct) =>
        {
            var ring = services.GetRequiredService<EncryptionSettings>().RequireKeyRing();
            var path = parseResult.GetValue(file)!.FullName;
            try
            {
                await using var reader = LxEnc01ReadStream.OpenFile(path, ring);
                var (start, end) = (0L, reader.Length - 1);
                if (parseResult.GetValue(range) is { } text)
                {
                    if (!TryParseRange(text, reader.Length, out start, out end))
                    {
                        return await FailAsync($"--range '{text}' is not START-END within the {reader.Length} plaintext bytes");
                    }
                }

                reader.Position = start;
                await using var stdout = Console.OpenStandardOutput();
                var buffer = new byte[64 * 1024];
                var remaining = end - start + 1;
                while (remaining > 0)
                {
                    var read = await reader.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), ct);
                    if (read == 0)
                    {
                        break;
                    }

                    await stdout.WriteAsync(buffer.AsMemory(0, read), ct);
                    remaining -= read;
                }

                return 0;
            }
            catch (EncryptedStorageException ex)
            {
                return await FailAsync($"{path}: {ex.Message}");
            }
            catch (FileNotFoundException)
            {
                return await FailAsync($"{path} does not exist");
            }
        }, cancellationToken));
        return command;
    }

    /// <summary>Parses an inclusive <c>START-END</c> (or <c>START-</c>) range inside <paramref name="length"/> bytes.</summary>
    internal static bool TryParseRange(string text, long length, out long start, out long end)
    {
        start = 0;
        end = length - 1;
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0
            || !long.TryParse(text.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out start)
            || (dash < text.Length - 1 && !long.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out end)))
        {
            return false;
        }

        end = Math.Min(end, length - 1);
        return start <= end && start < length;
    }

    internal static async Task<int> FailAsync(string message)
    {
        await HubCli.Convention.WriteErrorAsync($"{message}");
        return FailureExitCode;
    }
}
