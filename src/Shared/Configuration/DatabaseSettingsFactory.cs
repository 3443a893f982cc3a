using System.Data.Common;
using System.Globalization;

namespace LxAnnotate.Shared.Configuration;

/// <summary>
/// Builds connection strings in the providers' keyword form with the ADO.NET builder both providers' own builders
/// derive from, so values with <c>;</c>, <c>=</c> or quotes (passwords often have them) are escaped the way the
/// drivers parse them, and the node, which resolves the same contract, needs no database driver.
/// </summary>
internal static class DatabaseSettingsFactory
{
    public const int DefaultPostgresPort = 5432;

    /// <param name="hosts">One server, or several (a primary and its standbys) that Npgsql tries in order.</param>
    /// <param name="sslMode">An Npgsql <c>SSL Mode</c> value (<c>Disable</c> … <c>VerifyFull</c>), or null for the driver's default.</param>
    /// <param name="targetSessionAttributes">An Npgsql <c>Target Session Attributes</c> value for several hosts, or null for
    /// <see cref="PostgresTargetSessionAttributes.MultiHostDefault"/>; left out with one host.</param>
    public static DatabaseSettings PostgreSql(
        IReadOnlyList<PostgresEndpoint> hosts, string database, string? username, string? password, string? sslMode, string? targetSessionAttributes = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(hosts.Count);
        var builder = new DbConnectionStringBuilder();
        if (hosts.Count == 1)
        {
            builder["Host"] = hosts[0].Host;
            builder["Port"] = hosts[0].Port.ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            // Npgsql's multi-host form: each entry with its own port. After a failover it finds the promoted standby
            // by asking each server whether it is in recovery.
            builder["Host"] = string.Join(',', hosts.Select(h => h.ToNpgsql()));
            targetSessionAttributes ??= PostgresTargetSessionAttributes.MultiHostDefault;
        }

        builder["Database"] = database;
        if (!string.IsNullOrEmpty(username))
        {
            builder["Username"] = username;
        }

        if (!string.IsNullOrEmpty(password))
        {
            builder["Password"] = password;
        }

        if (sslMode is not null)
        {
            builder["SSL Mode"] = sslMode;
        }

        // Npgsql refuses the setting with one host (libpq would refuse a standby then; here /readyz says so).
        if (targetSessionAttributes is not null && hosts.Count > 1)
        {
            builder["Target Session Attributes"] = targetSessionAttributes;
        }

        // No code here leaves session state behind (no SET, temporary tables, session advisory locks or LISTEN), so a
        // pooled connection needs no DISCARD ALL each time EF Core returns it: that reset cost the server about as
        // much CPU as the queries of a small artifact.
        builder["No Reset On Close"] = "true";

        // The transfer receiver asks the same few statements over and over (the revocation check before every
        // chunk, the checkpoint): prepared on the server after their second use, they skip parsing and planning.
        // Prepared statements live on the pooled connection, which the line above keeps.
        builder["Max Auto Prepare"] = "32";
        builder["Auto Prepare Min Usages"] = "2";

        string user = string.IsNullOrEmpty(username) ? "" : Uri.EscapeDataString(username) + "@";
        string description = string.Create(
            CultureInfo.InvariantCulture,
            $"postgresql://{user}{string.Join(',', hosts.Select(h => h.ToUrl()))}/{Uri.EscapeDataString(database)}");

        return new DatabaseSettings(DatabaseProvider.PostgreSql, builder.ConnectionString, description);
    }

    public static bool TryParsePort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;

    public static DatabaseSettings Sqlite(string absolutePath)
    {
        var builder = new DbConnectionStringBuilder { ["Data Source"] = absolutePath };
        return new DatabaseSettings(DatabaseProvider.Sqlite, builder.ConnectionString, "sqlite:" + absolutePath);
    }
}
