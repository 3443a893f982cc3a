using System.CommandLine;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Operators;
using LxAnnotate.Hub.Processing.Sensitive;
using LxAnnotate.Hub.PythonImport;
using LxAnnotate.Hub.Storage;
using LxAnnotate.Hub.Storage.Encryption;
using LxAnnotate.Shared.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LxAnnotate.Hub.Cli;

/// <summary>
/// <c>lxa-hub import-python --django-database-url URL [--data-dir DIR] [--dry-run]</c>: brings the centers, upload
/// jobs, sensitive meta and files of an lx-annotate / endoreg-db install into this hub. Exit 0 when every job was
/// imported (or was already), 1 when a job failed or a recomputed hash differs, 2 for a bad URL or an unknown schema.
/// Each center created and job imported is an audit event of <c>--actor</c>.
/// </summary>
internal static class ImportPythonCommand
{
    public static Command Create()
    {
        var url = new Option<string>("--django-database-url") { Description = "The original's PostgreSQL database, postgres://user:password@host:port/name.", Required = true };
        var dataDir = new Option<string?>("--data-dir") { Description = "The original's data directory (its files are under DIR/storage); default: this hub's STORAGE_DIR." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would be imported, with counts; change nothing." };
        var actor = OperatorCommand.ActorOption();
        var command = new Command("import-python", "Import the database rows and stored files of a Python (lx-annotate / endoreg-db) install. Idempotent and resumable; the source is only read.");
        command.Options.Add(url);
        command.Options.Add(dataDir);
        command.Options.Add(dryRun);
        command.Options.Add(actor);
        command.SetAction((parseResult, cancellationToken) => CliHost.RunAsync(parseResult, async (services, ct) =>
        {
            string connectionString;
            try
            {
                connectionString = DjangoDatabaseUrl.ToConnectionString(parseResult.GetValue(url)!);
            }
            catch (PythonImportException ex)
            {
                await HubCli.Convention.WriteErrorAsync(ex.Message);
                return CliHost.ConfigurationErrorExitCode;
            }

            // As serve: a role that requires encrypted storage imports nothing without the master key.
            services.GetRequiredService<EncryptionSettings>().EnsureUsable(services.GetRequiredService<LxaRuntimeSettings>().Role);
            var configuration = services.GetRequiredService<IConfiguration>();
            string? Read(string key) => configuration[key];
            var paths = services.GetRequiredService<DataPaths>();
            var sourceRoot = parseResult.GetValue(dataDir) is { Length: > 0 } dir ? Path.Join(Path.GetFullPath(dir), "storage") : paths.StorageDir;
            var encrypted = services.GetRequiredService<EncryptedArtifactStore>();
            var importer = new PythonImporter(
                services.GetRequiredService<LxaDbContext>(),
                new ImportFileCopier(services.GetRequiredService<ContentStore>(), encrypted),
                new SensitiveArtifactWriter(encrypted),
                new ImportAudit(services.GetRequiredService<OperatorAuditTrail>(), OperatorCommand.Actor(parseResult, actor), services.GetRequiredService<TimeProvider>()),
                Console.Out);
            try
            {
                var salt = PythonImporter.SaltOrNull(Read, Console.Out);
                var counts = await importer.RunAsync(connectionString, sourceRoot, parseResult.GetValue(dryRun), salt, ImportPauseHook.FromEnvironment(Read), ct);
                return counts.JobsFailed == 0 && counts.HashesDiffering == 0 ? 0 : 1;
            }
            catch (PythonImportException ex)
            {
                await HubCli.Convention.WriteErrorAsync(ex.Message);
                return CliHost.ConfigurationErrorExitCode;
            }
            catch (NpgsqlException ex)
            {
                await HubCli.Convention.WriteErrorAsync($"cannot read the source database: {ex.Message.ReplaceLineEndings(" ")}");
                return 1;
            }
        }, cancellationToken));
        return command;
    }
}
