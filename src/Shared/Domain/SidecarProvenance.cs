using System.Globalization;
using System.Text.RegularExpressions;

namespace LxAnnotate.Shared.Domain;

/// <summary>
/// What a preanonymized export's sidecar says about the document (identifiers, case, examination), as
/// kept in <see cref="ProcessingProvenance.Sidecar"/>: a closed schema like its parent. A boundary passes
/// these as hints named <c>sidecar.&lt;key&gt;</c>. Text, names, birth dates and raw table rows are not
/// part of it: the carrier holds the text, and provenance is no place for direct identifiers.
/// </summary>
public sealed partial record SidecarProvenance
{
    public const string HintPrefix = "sidecar.";

    /// <summary>Longest value accepted for any field.</summary>
    public const int MaxValueLength = 256;

    /// <summary>Sidecar keys carried into provenance, by their JSON name.</summary>
    public static readonly IReadOnlyList<string> Keys =
    [
        "external_id", "external_id_origin", "casenumber", "patient_gender", "examination_date", "examination_time",
        "source_document_type", "original_document_id", "original_document_version", "center_name", "document_type",
        "patient_hash", "examination_hash", "file_sha256",
    ];

    public string? ExternalId { get; init; }

    public string? ExternalIdOrigin { get; init; }

    public string? Casenumber { get; init; }

    public string? PatientGender { get; init; }

    /// <summary><c>YYYY-MM-DD</c>.</summary>
    public string? ExaminationDate { get; init; }

    /// <summary><c>HH:MM:SS</c>.</summary>
    public string? ExaminationTime { get; init; }

    public string? SourceDocumentType { get; init; }

    public string? OriginalDocumentId { get; init; }

    public string? OriginalDocumentVersion { get; init; }

    public string? CenterName { get; init; }

    public string? DocumentType { get; init; }

    public string? PatientHash { get; init; }

    public string? ExaminationHash { get; init; }

    /// <summary>SHA-256 the sidecar declared for its file (lower-case hex).</summary>
    public string? FileSha256 { get; init; }

    /// <summary>Checks one hint value; returns the problem (naming the key, never the value) or null.</summary>
    public static string? Problem(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > MaxValueLength || value.Any(char.IsControl))
        {
            return $"Provenance hint '{key}' must be at most {MaxValueLength} printable characters.";
        }

        return key switch
        {
            HintPrefix + "examination_date" when !DateTime.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                => $"Provenance hint '{key}' must be a date YYYY-MM-DD.",
            HintPrefix + "examination_time" when !TimeOnly.TryParseExact(value, "HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                => $"Provenance hint '{key}' must be a time HH:MM:SS.",
            HintPrefix + "file_sha256" when !Sha256Pattern().IsMatch(value)
                => $"Provenance hint '{key}' must be 64 lower-case hexadecimal characters.",
            _ => null,
        };
    }

    /// <summary>Builds the record from validated hints; null when no sidecar hint is present.</summary>
    public static SidecarProvenance? FromHints(IReadOnlyDictionary<string, string> hints)
    {
        ArgumentNullException.ThrowIfNull(hints);
        string? Hint(string key) => hints.TryGetValue(HintPrefix + key, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;
        if (!Keys.Any(k => Hint(k) is not null))
        {
            return null;
        }

        return new SidecarProvenance
        {
            ExternalId = Hint("external_id"),
            ExternalIdOrigin = Hint("external_id_origin"),
            Casenumber = Hint("casenumber"),
            PatientGender = Hint("patient_gender"),
            ExaminationDate = Hint("examination_date"),
            ExaminationTime = Hint("examination_time"),
            SourceDocumentType = Hint("source_document_type"),
            OriginalDocumentId = Hint("original_document_id"),
            OriginalDocumentVersion = Hint("original_document_version"),
            CenterName = Hint("center_name"),
            DocumentType = Hint("document_type"),
            PatientHash = Hint("patient_hash"),
            ExaminationHash = Hint("examination_hash"),
            FileSha256 = Hint("file_sha256"),
        };
    }

    [GeneratedRegex("^[0-9a-f]{64}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Sha256Pattern();
}
