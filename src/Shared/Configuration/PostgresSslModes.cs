namespace LxAnnotate.Shared.Configuration;

/// <summary>libpq's <c>sslmode</c> values (what Django and dj-database-url pass on) as Npgsql <c>SSL Mode</c> values.</summary>
internal static class PostgresSslModes
{
    public const string Expected = "expected disable, allow, prefer, require, verify-ca or verify-full";

    public static string? ToNpgsql(string libpqValue) => libpqValue switch
    {
        "disable" => "Disable",
        "allow" => "Allow",
        "prefer" => "Prefer",
        "require" => "Require",
        "verify-ca" => "VerifyCA",
        "verify-full" => "VerifyFull",
        _ => null,
    };
}
