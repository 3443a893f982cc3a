namespace LxAnnotate.Shared.Configuration;

/// <summary>
/// libpq's <c>target_session_attrs</c> values, which Npgsql's <c>Target Session Attributes</c> takes by the same
/// names (plus <c>prefer-primary</c>, Npgsql's own).
/// </summary>
internal static class PostgresTargetSessionAttributes
{
    public const string Expected = "expected any, read-write, read-only, primary, standby, prefer-primary or prefer-standby";

    /// <summary>
    /// What a connection string naming several hosts gets unless it says otherwise: the hub writes, so only the
    /// primary will do (libpq's and Npgsql's default, <c>any</c>, would take a standby listed first).
    /// </summary>
    public const string MultiHostDefault = "read-write";

    public static string? ToNpgsql(string libpqValue) => libpqValue switch
    {
        "any" or "read-write" or "read-only" or "primary" or "standby" or "prefer-primary" or "prefer-standby" => libpqValue,
        _ => null,
    };
}
