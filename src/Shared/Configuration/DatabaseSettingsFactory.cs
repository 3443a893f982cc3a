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

    /// <param name="sslMode">An Npgsql <c>SSL Mode</c> value (<c>Disable</c> … <c>VerifyFull</c>), or null for the driver's default.</param>
    public static DatabaseSettings PostgreSql(
        string host, int port, string database, string? username, string? password, string? sslMode)
    {
        var builder = new DbConnectionStringBuilder
        {
            ["Host"] = host,
            ["Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["Database"] = database,
        };
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
        string hostPart = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]"
            : host.Contains('/', StringComparison.Ordinal) ? Uri.EscapeDataString(host)
            : host;
        string description = string.Create(
            CultureInfo.InvariantCulture,
            $"postgresql://{user}{hostPart}:{port}/{Uri.EscapeDataString(database)}");

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
