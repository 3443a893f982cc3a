using System.CommandLine;
using LxAnnotate.Shared.Envelope;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace LxAnnotate.Hub.Cli;

/// <summary>
/// <c>lxa-hub transfer-keys generate</c>: a new X25519 recipient key pair for media envelopes, written for
/// the operator (private key 0600, never overwritten). The hub never makes a key by itself; it only reads
/// the files named in <c>ENDOREG_HUB_TRANSFER_RECIPIENT_PRIVATE_KEY_FILES</c>.
/// </summary>
internal static class TransferKeysCommand
{
    public static Command Create()
    {
        var command = new Command("transfer-keys", "Recipient keys of end-to-end encrypted media envelopes.");
        command.Subcommands.Add(Generate());
        return command;
    }

    private static Command Generate()
    {
        var directory = new Option<string>("--output-dir", "--out-dir") { Description = "Directory for NAME.key.pem (0600) and NAME.pub.pem.", Required = true };
        var name = new Option<string>("--name") { Description = "File name stem (default: hub-transfer-recipient).", DefaultValueFactory = _ => "hub-transfer-recipient" };
        var command = new Command("generate", "Write a new X25519 key pair; print the public key (for the nodes) and its recipient_key_id.");
        command.Options.Add(directory);
        command.Options.Add(name);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var stem = parseResult.GetValue(name)!;
            if (stem.Length is 0 or > 64 || stem.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) || stem.StartsWith('.'))
            {
                await HubCli.Convention.WriteErrorAsync("--name must be 1 to 64 of letters, digits, '-', '_' and '.'");
                return OperatorCommand.OperatorErrorExitCode;
            }

            var target = Path.GetFullPath(parseResult.GetValue(directory)!);
            if (!Directory.Exists(target))
            {
                await HubCli.Convention.WriteErrorAsync($"directory '{target}' does not exist");
                return OperatorCommand.OperatorErrorExitCode;
            }

            var privateFile = Path.Combine(target, stem + ".key.pem");
            var publicFile = Path.Combine(target, stem + ".pub.pem");
            var key = new X25519PrivateKeyParameters(new SecureRandom());
            var publicKey = key.GeneratePublicKey();
            try
            {
                await WriteNewAsync(privateFile, X25519Keys.PrivateKeyPem(key), UnixFileMode.UserRead | UnixFileMode.UserWrite, cancellationToken);
                await WriteNewAsync(publicFile, X25519Keys.PublicKeyPem(publicKey), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, cancellationToken);
            }
            catch (IOException ex)
            {
                await HubCli.Convention.WriteErrorAsync($"cannot write the key pair: {ex.Message}");
                return OperatorCommand.OperatorErrorExitCode;
            }

            await Console.Out.WriteLineAsync($"recipient_key_id: {X25519Keys.KeyId(publicKey)}");
            await Console.Out.WriteLineAsync($"private key: {privateFile} (0600; list it in ENDOREG_HUB_TRANSFER_RECIPIENT_PRIVATE_KEY_FILES, owned by root)");
            await Console.Out.WriteLineAsync($"public key: {publicFile} (give it to the nodes)");
            await Console.Out.WriteAsync(X25519Keys.PublicKeyPem(publicKey));
            return 0;
        });
        return command;
    }

    private static async Task WriteNewAsync(string path, string content, UnixFileMode mode, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            UnixCreateMode = mode,
        });
        await file.WriteAsync(System.Text.Encoding.ASCII.GetBytes(content), cancellationToken);
#pragma warning disable CA1849 // fsync has no asynchronous form.
        file.Flush(flushToDisk: true);
#pragma warning restore CA1849
    }
}
