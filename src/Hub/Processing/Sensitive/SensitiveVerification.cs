using LxAnnotate.Hub.Processing.Ocr;
using LxAnnotate.Hub.Processing.Pipeline;

namespace LxAnnotate.Hub.Processing.Sensitive;

/// <summary>
/// Whether stored values count as verified (<c>sensitive_meta.is_verified</c>), the original's meaning: unverified
/// values wait for a person to check them.
/// <list type="bullet">
/// <item><c>ocr</c>: verified only when every text field of the processor profile was kept
/// (<see cref="FieldQuality.Kept"/>); a missing, implausible, unsure or disputed field leaves it unverified, and so
/// does a reading without quality figures.</item>
/// <item><c>report</c>: verified when first name, last name and date of birth were all found and parse as a name and a
/// plausible birth date: the original's <c>names_verified</c> and <c>dob_verified</c> cover exactly these.</item>
/// <item><c>sidecar</c>: verified. The values come from an export its source released as anonymized, and the original
/// anonymizes only after its values were verified (and the node refuses a sidecar that is not marked anonymized);
/// the hub has nothing of its own to check them against.</item>
/// </list>
/// </summary>
internal static class SensitiveVerification
{
    public static bool IsVerified(SensitiveValues values, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(values);
        return values.Source switch
        {
            SensitiveSources.Ocr => values.FieldQuality is { Count: > 0 } quality && quality.Values.All(q => q.Kept),
            SensitiveSources.Report => values.FirstName is { } first && OverlayFieldKinds.IsName(first)
                && values.LastName is { } last && OverlayFieldKinds.IsName(last)
                && values.DateOfBirth is { } dob && OverlayFieldKinds.IsBirthDate(dob, today),
            SensitiveSources.Sidecar => true,
            _ => false,
        };
    }
}
