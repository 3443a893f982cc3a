using System.CommandLine;
using LxAnnotate.Hub.Hosting;
using LxAnnotate.Shared.Configuration;
using Microsoft.Extensions.Options;

namespace LxAnnotate.Hub.Cli;

/// <summary><c>lxa-hub serve</c>: the central service (gRPC transfer receiver, REST gateway, health).</summary>
internal static class ServeCommand
{
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
                await HubCli.Convention.WriteErrorAsync($"{ex.Message}");
                return CliHost.ConfigurationErrorExitCode;
            }

            await using (app)
            {
                try
                {
                    await app.RunAsync(cancellationToken);
                }
                catch (OptionsValidationException ex)
                {
                    // The feature options were resolved and checked while building; this is the same check at start.
                    await Console.Error.WriteLineAsync($"lxa-hub: {ex.Failures.FirstOrDefault() ?? ex.Message}");
                    return CliHost.ConfigurationErrorExitCode;
                }
            }

            return 0;
        });
        return command;
    }
}
