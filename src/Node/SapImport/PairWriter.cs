using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LxAnnotate.Node.Sidecars;

namespace LxAnnotate.Node.SapImport;

/// <summary>Writes one preanonymized carrier/sidecar pair per primary row into the output folder.</summary>
internal sealed class PairWriter(ConversionOptions options, string outputDir)
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes the pair of <paramref name="primary"/>; <paramref name="related"/> are the rows of its case.</summary>
    /// <exception cref="SapImportException">The sidecar would be bigger than the watcher accepts.</exception>
    public GeneratedPair Write(int counter, LoadedRow primary, IReadOnlyList<LoadedRow> related)
    {
        var text = (primary.DocumentText ?? CaseSummary.Build(related)).Trim();
        var carrier = Utf8.GetBytes(text + "\n");
        var externalId = primary.PatientKey;
        var caseNumber = primary.Text("FallNr");
        var json = SidecarJson.Serialize(Sidecar(primary, related, text, carrier, externalId, caseNumber));
        if (json.Length > options.MaxSidecarBytes)
        {
            throw new SapImportException(string.Create(CultureInfo.InvariantCulture,
                $"the pair for row {primary.RowNumber} of '{primary.Table.EntryName}' would need a sidecar of {json.Length} bytes, more than the watcher accepts ({options.MaxSidecarBytes})"));
        }

        var counterText = counter.ToString("D4", CultureInfo.InvariantCulture);
        var stem = $"sap_ish_{counterText}_{Slug(primary.DocumentType, "document")}_{Slug(externalId, "patient")}_{Slug(caseNumber, "case_" + counterText)}";
        WriteNew(Path.Combine(outputDir, stem + ".txt"), carrier);
        WriteNew(Path.Combine(outputDir, stem + ".json"), json);
        return new GeneratedPair(stem, primary.DocumentType);
    }

    /// <summary>Creates a file readable by the service group only (rw-r-----): it holds patient data.</summary>
    internal static void WriteNew(string path, byte[] bytes)
    {
        using var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead,
        });
        file.Write(bytes);
    }

    /// <summary>Lower case; anything but letters, digits, '-' and '_' becomes '_'; '_' trimmed at both ends.</summary>
    internal static string Slug(string? value, string fallback)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        var slug = string.Concat(value.Trim().Select(c => char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : c is '-' or '_' ? c : '_')).Trim('_');
        return slug.Length == 0 ? fallback : slug;
    }

    private SortedDictionary<string, object?> Sidecar(
        LoadedRow primary, IReadOnlyList<LoadedRow> related, string text, byte[] carrier, string? externalId, string? caseNumber)
    {
        var timestamp = primary.Timestamp ?? related.Select(r => r.Timestamp).Where(t => t is not null).Min();
        var gender = CellValues.Gender(primary.Raw("Geschlecht")) ??
            related.Select(r => CellValues.Gender(r.Raw("Geschlecht"))).FirstOrDefault(g => g is not null);
        return new SortedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["anonymized_text"] = text,
            ["casenumber"] = caseNumber,
            ["center_key"] = options.CenterKey,
            ["center_name"] = options.CenterName,
            ["examination_date"] = timestamp?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["examination_time"] = timestamp?.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
            ["external_id"] = externalId,
            ["external_id_origin"] = externalId is null ? null : options.CenterKey is null ? options.SourceSystem : $"{options.SourceSystem}:{options.CenterKey}",
            ["file_sha256"] = Convert.ToHexStringLower(SHA256.HashData(carrier)),
            ["original_document_id"] = primary.Text("Dokumentnummer") ?? primary.Text("main_order_id") ?? primary.Text("id"),
            ["original_document_version"] = primary.Text("Dokumentversion"),
            ["patient_gender"] = gender,
            ["raw_columns"] = RawColumns(primary, related),
            ["source_document_type"] = primary.DocumentType,
            ["source_system"] = options.SourceSystem,
            ["text"] = text,
        };
    }

    private static SortedDictionary<string, object?> RawColumns(LoadedRow primary, IReadOnlyList<LoadedRow> related)
    {
        var byType = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var row in related)
        {
            if (!byType.TryGetValue(row.DocumentType, out var list))
            {
                byType[row.DocumentType] = list = new List<object?>();
            }

            ((List<object?>)list!).Add(new SortedDictionary<string, object?>(StringComparer.Ordinal)
            {
                ["source_file"] = row.Table.EntryName,
                ["row_number"] = row.RowNumber,
                ["raw_columns"] = row.RawColumns(),
                ["unknown_columns"] = row.UnknownColumns(),
            });
            files.Add(row.Table.EntryName);
        }

        return new SortedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["primary_row"] = new SortedDictionary<string, object?>(StringComparer.Ordinal)
            {
                ["document_type"] = primary.DocumentType,
                ["source_file"] = primary.Table.EntryName,
                ["row_number"] = primary.RowNumber,
                ["raw_columns"] = primary.RawColumns(),
            },
            ["related_rows_by_type"] = byType,
            ["source_files"] = files.ToList(),
        };
    }
}
