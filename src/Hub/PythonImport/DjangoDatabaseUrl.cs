using System.Globalization;
using Npgsql;

namespace LxAnnotate.Hub.PythonImport;

/// <summary>
/// The original's database as <c>--django-database-url postgres://user:password@host:port/name[?sslmode=…]</c>, the
/// form dj-database-url reads. Errors never quote the URL: it carries the password.
/// </summary>
internal static class DjangoDatabaseUrl
{
    public static string ToConnectionString(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("postgres" or "postgresql")
            || string.IsNullOrEmpty(uri.Host)
            || uri.AbsolutePath.Length <= 1)
        {
            throw new PythonImportException("--django-database-url: expected postgres://user:password@host:port/database");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
            ApplicationName = "lxa-hub import-python",
        };
        var userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0)
        {
            builder.Username = Uri.UnescapeDataString(userInfo[0]);
        }

        if (userInfo.Length == 2)
        {
            builder.Password = Uri.UnescapeDataString(userInfo[1]);
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            if (parts.Length == 2 && string.Equals(parts[0], "sslmode", StringComparison.OrdinalIgnoreCase))
            {
                builder.SslMode = Enum.TryParse<SslMode>(parts[1].Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var mode)
                    ? mode
                    : throw new PythonImportException(string.Create(CultureInfo.InvariantCulture, $"--django-database-url: unknown sslmode '{Uri.UnescapeDataString(parts[1])}'"));
            }
        }

        return builder.ConnectionString;
    }
}
