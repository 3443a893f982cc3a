using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LxAnnotate.Hub.Processing.Sensitive;

/// <summary>
/// <c>patient_hash</c> and <c>examination_hash</c> exactly as the original system computes them, so both
/// systems link the same patient: the inner string is
/// <c>{first}{last}{dob}{center_name}{dob}{exam_date}{endoscope_sn}{salt}</c> (dates <c>YYYY-MM-DD</c>,
/// <c>1900-01-01</c> and missing values as empty text), and the hash is the lower-case hex SHA-256 of the
/// lower-case hex SHA-256 of that string in UTF-8. The patient hash leaves the examination date and the
/// serial empty; the examination hash includes the examination date and leaves the serial empty. A missing
/// first or last name is <c>unknown</c> in both, as the original stores it before hashing. The center input is
/// the center's <see cref="Domain.Center.Name"/>, the original's <c>center.name</c> (not the key).
/// <see cref="ForValues"/> is what the worker stores: a hash only when every field it needs was kept.
/// </summary>
internal static class SensitiveHashes
{
    /// <summary>What the original stores (and hashes) for a missing patient name.</summary>
    public const string UnknownName = "unknown";

    private static readonly DateOnly Placeholder = new(1900, 1, 1);

    public static string PatientHash(string? firstName, string? lastName, DateOnly? dateOfBirth, string centerName, string salt) =>
        Hash(NameOrUnknown(firstName), NameOrUnknown(lastName), dateOfBirth, centerName, examinationDate: null, endoscopeSn: null, salt);

    public static string ExaminationHash(string? firstName, string? lastName, DateOnly? dateOfBirth, string centerName, DateOnly? examinationDate, string salt) =>
        Hash(NameOrUnknown(firstName), NameOrUnknown(lastName), dateOfBirth, centerName, examinationDate, endoscopeSn: null, salt);

    /// <summary>
    /// The hashes of values read by the hub: <c>patient_hash</c> only when first name, last name and date of birth
    /// are all present, <c>examination_hash</c> only when the examination date is too; otherwise null. Stricter than the
    /// original, which hashes a missing name as <see cref="UnknownName"/> (and invents a birth date when there is
    /// none): such a hash would link every patient of the center born on the same day, or none at all.
    /// </summary>
    public static (string? PatientHash, string? ExaminationHash) ForValues(Pipeline.SensitiveValues values, string centerName, string salt)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (string.IsNullOrWhiteSpace(values.FirstName) || string.IsNullOrWhiteSpace(values.LastName) || values.DateOfBirth is not { } dob || dob == Placeholder)
        {
            return (null, null);
        }
        var patient = PatientHash(values.FirstName, values.LastName, dob, centerName, salt);
        var examination = values.ExaminationDate is { } exam && exam != Placeholder
            ? ExaminationHash(values.FirstName, values.LastName, dob, centerName, exam, salt)
            : null;
        return (patient, examination);
    }

    /// <summary>The formula with every slot; the two hashes above fix which slots are filled.</summary>
    public static string Hash(string? firstName, string? lastName, DateOnly? dateOfBirth, string centerName, DateOnly? examinationDate, string? endoscopeSn, string salt)
    {
        ArgumentNullException.ThrowIfNull(centerName);
        ArgumentException.ThrowIfNullOrEmpty(salt);
        var dob = Date(dateOfBirth);
        var inner = string.Concat(firstName ?? "", lastName ?? "", dob, centerName, dob, Date(examinationDate), endoscopeSn ?? "", salt);
        return HexSha256(HexSha256(inner));
    }

    private static string NameOrUnknown(string? name) => string.IsNullOrEmpty(name) ? UnknownName : name;

    private static string Date(DateOnly? value) =>
        value is { } date && date != Placeholder ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "";

    private static string HexSha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
