using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Processing.Pipeline;

namespace LxAnnotate.Hub.Processing.Sensitive;

/// <summary>
/// The one way sensitive metadata is written and read back: the implementation decides how values are protected
/// at rest and computes the hashes. <see cref="StoreAsync"/> is called inside the worker's result transaction on <paramref name="db"/>.
/// </summary>
internal interface ISensitiveMetaStore
{
    /// <returns>The id of the stored <c>sensitive_meta</c> row.</returns>
    Task<long> StoreAsync(LxaDbContext db, Guid jobId, long centerId, SensitiveValues values, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The values of one <c>sensitive_meta</c> row (decrypted when stored encrypted); null when there is no such row.</summary>
    Task<SensitiveValues?> ReadAsync(LxaDbContext db, long id, CancellationToken cancellationToken);
}
