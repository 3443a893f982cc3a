using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace LxAnnotate.Shared.Configuration;

/// <summary>
/// Builds connection strings with the providers' own builders, so values with <c>;</c>,
/// <c>=</c> or quotes (passwords often have them) are escaped the way the driver expects.
/// </summary>
internal static class DatabaseSettingsFactory
{
    public const int DefaultPostgresPort = 5432;

    public static DatabaseSettings PostgreSql(
        string host, int port, string database, string? username, string? password, SslMode? sslMode)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = host,
            Port = port,
            Database = database,

            // No code here leaves session state behind (no SET, temporary tables, session advisory locks or
            // LISTEN), so a pooled connection needs no DISCARD ALL each time EF Core returns it: that reset cost
            // the server about as much CPU as the queries of a small artifact.
            NoResetOnClose = true,
        };
        if (!string.IsNullOrEmpty(username))
        {
            builder.Username = username;
        }

        if (!string.IsNullOrEmpty(password))
        {
            builder.Password = password;
        }

        if (sslMode is { } mode)
        {
            builder.SslMode = mode;
        }

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
        var builder = new SqliteConnectionStringBuilder { DataSource = absolutePath };
        return new DatabaseSettings(DatabaseProvider.Sqlite, builder.ConnectionString, "sqlite:" + absolutePath);
    }
}
