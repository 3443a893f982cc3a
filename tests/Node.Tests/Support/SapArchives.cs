using System.IO.Compression;
using System.Text;

namespace LxAnnotate.Node.Tests.Support;

/// <summary>Builds SAP IS-H style tables and zips inside a test.</summary>
internal static class SapArchives
{
    static SapArchives() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Tab-separated lines joined with <paramref name="newline"/> (a final newline included).</summary>
    public static string TsvWith(string newline, params string[] lines) => string.Join(newline, lines) + newline;

    public static string Tsv(params string[] lines) => TsvWith("\n", lines);

    /// <summary>Encodes as <c>utf-8-sig</c>, <c>utf-8</c>, <c>windows-1252</c> or <c>latin-1</c>.</summary>
    public static byte[] Encode(string text, string encoding) => encoding switch
    {
        "utf-8-sig" => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)],
        "utf-8" => Encoding.UTF8.GetBytes(text),
        "windows-1252" => Encoding.GetEncoding(1252).GetBytes(text),
        "latin-1" => Encoding.Latin1.GetBytes(text),
        _ => throw new ArgumentOutOfRangeException(nameof(encoding)),
    };

    public static void Zip(string path, params (string Name, string Text)[] entries) =>
        Zip(path, entries.Select(e => (e.Name, Encoding.UTF8.GetBytes(e.Text))).ToArray());

    public static void Zip(string path, params (string Name, byte[] Data)[] entries) => Zip(path, archive =>
    {
        foreach (var (name, data) in entries)
        {
            using var stream = archive.CreateEntry(name, CompressionLevel.Fastest).Open();
            stream.Write(data);
        }
    });

    public static void Zip(string path, Action<ZipArchive> fill)
    {
        using var file = new FileStream(path, FileMode.Create);
        using var archive = new ZipArchive(file, ZipArchiveMode.Create);
        fill(archive);
    }

    public const string BriefeHeader = "PatientNr\tFallNr\tdateErstellzeit\tstrText";
    public const string PatientenHeader = "PatientNr\tPatientAlter\tGeschlecht";
    public const string DiagnosenHeader = "PatientNr\tFallNr\tDiagnoseschluessel1\tDiagnosezeit\tKzNebendiagnose";
    public const string LaborHeader = "PatientNr\tFallNr\tDokumentzeit\tLeistung\tLeistungstext\tMesswert";
    public const string BewegungenHeader = "PatientNr\tFallNr\tZugangszeit\tBehandlungsort\tFachabteilung\tZimmer";
}
