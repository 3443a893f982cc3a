using System.Collections.Frozen;

namespace LxAnnotate.Hub.Domain;

/// <summary>
/// The one table of allowed status changes. <c>anonymized</c> is final; <c>error</c> and <c>lost</c>
/// leave only through an operator retry, which goes back to <c>retrying</c>.
/// </summary>
public static class UploadJobTransitions
{
    private static readonly FrozenDictionary<UploadJobStatus, FrozenSet<UploadJobStatus>> Allowed =
        new Dictionary<UploadJobStatus, FrozenSet<UploadJobStatus>>
        {
            [UploadJobStatus.Pending] = Set(UploadJobStatus.Processing, UploadJobStatus.Error, UploadJobStatus.Lost),
            [UploadJobStatus.Processing] = Set(UploadJobStatus.Anonymized, UploadJobStatus.Retrying, UploadJobStatus.Error, UploadJobStatus.Lost),
            [UploadJobStatus.Retrying] = Set(UploadJobStatus.Processing, UploadJobStatus.Error, UploadJobStatus.Lost),
            [UploadJobStatus.Anonymized] = Set(),
            [UploadJobStatus.Error] = Set(UploadJobStatus.Retrying),
            [UploadJobStatus.Lost] = Set(UploadJobStatus.Retrying),
        }.ToFrozenDictionary();

    public static bool IsAllowed(UploadJobStatus from, UploadJobStatus to) => Allowed[from].Contains(to);

    public static IReadOnlySet<UploadJobStatus> AllowedFrom(UploadJobStatus from) => Allowed[from];

    /// <summary>Statuses whose jobs take part in dedup; a failed job never blocks a new upload.</summary>
    public static bool IsActive(UploadJobStatus status) => status is not (UploadJobStatus.Error or UploadJobStatus.Lost);

    public static void EnsureAllowed(UploadJobStatus from, UploadJobStatus to)
    {
        if (!IsAllowed(from, to))
        {
            throw new InvalidStatusTransitionException(from, to);
        }
    }

    private static FrozenSet<UploadJobStatus> Set(params UploadJobStatus[] statuses) => statuses.ToFrozenSet();
}
