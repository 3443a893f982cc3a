using System.Text.Json;
using LxAnnotate.Node.SapImport;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.TestSupport;

namespace LxAnnotate.Node.Tests.Support;

/// <summary>A data root in a temp directory and an importer over it.</summary>
internal sealed class SapImportHarness : IDisposable
{
    public SapImportHarness(ArchiveLimits? limits = null)
    {
        Paths = RuntimeSettingsResolver.Resolve(name => name == "LX_ANNOTATE_ENCRYPTED_DATA_DIR" ? Temp.Path : null).Paths;
        Paths.EnsureCreated();
        Importer = new SapImporter(Paths, limits ?? new ArchiveLimits(), TimeProvider.System);
    }

    public TempDirectory Temp { get; } = new();

    public DataPaths Paths { get; }

    public SapImporter Importer { get; }

    public string Zip => Temp.Combine("export.zip");

    public SapImportReport Run(string? centerKey = null, string? centerName = null, string? outputDir = null, bool dryRun = false) =>
        Importer.Run(new SapImportRequest(Zip, outputDir, "sap_ish", centerKey, centerName, null, dryRun), CancellationToken.None);

    public SapImportException Refused() => Assert.Throws<SapImportException>(() => Run());

    public string[] OutputNames() =>
        [.. Directory.EnumerateFiles(Paths.PreanonymizedImport).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal)];

    public JsonElement Sidecar(string stem)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Paths.PreanonymizedImport, stem + ".json")));
        return document.RootElement.Clone();
    }

    public string Carrier(string stem) => File.ReadAllText(Path.Combine(Paths.PreanonymizedImport, stem + ".txt"));

    /// <summary>Nothing is left in the staging area (success and failure alike).</summary>
    public bool StagingEmpty => !Directory.Exists(Importer.StagingRoot) || !Directory.EnumerateFileSystemEntries(Importer.StagingRoot).Any();

    public void Dispose() => Temp.Dispose();
}
