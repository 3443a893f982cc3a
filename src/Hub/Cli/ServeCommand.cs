using System.CommandLine;
using LxAnnotate.Hub.Hosting;
using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Hub.Cli;

/// <summary><c>lxa-hub serve</c>: the central service (gRPC transfer receiver, REST gateway, health).</summary>
internal static class ServeCommand
{
    private const UnixFileMode GroupOnlySocket =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    public static Command Create()
    {
        var command = new Command("serve", "Run the hub: gRPC transfer receiver (mTLS), local socket, REST /api/upload/, /healthz and /readyz.");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            WebApplication app;
            try
            {
                app = HubServer.Build(CliHost.EnvFileValues(parseResult));
            }
            catch (ConfigurationContractException ex)
            {
                await Console.Error.WriteLineAsync($"lxa-hub: {ex.Message}");
                return CliHost.ConfigurationErrorExitCode;
            }

            await using (app)
            {
                app.Services.GetRequiredService<DataPaths>().EnsureCreated();
                var socket = app.Services.GetRequiredService<HubSettings>().LocalSocketPath;
                app.Lifetime.ApplicationStarted.Register(() =>
                {
                    if (socket is not null && File.Exists(socket))
                    {
                        File.SetUnixFileMode(socket, GroupOnlySocket);
                    }
                });
                await app.RunAsync(cancellationToken);
            }

            return 0;
        });
        return command;
    }
}
