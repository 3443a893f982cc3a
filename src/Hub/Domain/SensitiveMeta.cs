namespace LxAnnotate.Hub.Domain;

/// <summary>
/// Patient and examination data read from one artifact (overlay OCR or a preanonymized sidecar), with the
/// hashes that link it to the original system. Never logged; stored through the hub's sensitive store. With a
/// master key the values live only in the LXENC01 file at <see cref="ValuesPath"/> and the value columns stay
/// null; without one (encryption not required) they are plain columns.
/// </summary>
public sealed class SensitiveMeta
{
    public long Id { get; set; }

    public Guid UploadJobId { get; init; }

    public long CenterId { get; init; }

    /// <summary>Where the values came from: <c>ocr</c>, <c>report</c> or <c>sidecar</c>.</summary>
    public required string Source { get; init; }

    public string? FirstName { get; init; }

    public string? LastName { get; init; }

    public DateOnly? DateOfBirth { get; init; }

    public DateOnly? ExaminationDate { get; init; }

    public TimeOnly? ExaminationTime { get; init; }

    public string? EndoscopeType { get; init; }

    public string? EndoscopeSn { get; init; }

    /// <summary>
    /// The patient's gender as the original names it (<c>male</c>, <c>female</c>, <c>unknown</c>); null when it could
    /// not be determined. A value column like the others: null when the values are in <see cref="ValuesPath"/>.
    /// </summary>
    public string? Gender { get; init; }

    /// <summary>
    /// False while a field the source's profile expects is missing or was not read with enough confidence and
    /// agreement; a person then checks the values (the original's <c>is_verified</c>).
    /// </summary>
    public bool IsVerified { get; init; }

    /// <summary>
    /// How each read field was decided, as JSON: per field name its OCR confidence (0…1) and the share of sampled
    /// frames that agreed (0…1), and whether it was kept. Holds no values; null for sources that are not read by OCR.
    /// </summary>
    public string? FieldQuality { get; init; }

    /// <summary>Hex SHA-256 over name, birth date and center (see <c>SensitiveHashes</c>).</summary>
    public string? PatientHash { get; init; }

    /// <summary>As <see cref="PatientHash"/> plus the examination date.</summary>
    public string? ExaminationHash { get; init; }

    /// <summary>The LXENC01 JSON file holding the values, relative to <c>STORAGE_DIR</c>; null when they are plain columns.</summary>
    public string? ValuesPath { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}
