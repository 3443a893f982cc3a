
namespace LxAnnotate.Shared.Configuration;

/// <summary>
/// Reads <c>DATABASE_URL</c> the way dj-database-url does, so the URL an existing deployment
/// already has means the same database here. The URL carries the password: no error raised
/// here quotes any part of it except a well-formed scheme name.
/// </summary>
internal static class DatabaseUrlParser
{
    private const string Variable = EnvironmentVariableNames.DatabaseUrl;
    private const string Expected = "expected postgres://, postgresql:// or sqlite:////ABS/PATH";
    private const string PostgresShape = "expected postgres://user:password@host:port/database";
    private const string SqliteShape = "sqlite:////abs/path.sqlite3";

    public static DatabaseSettings Parse(string url)
    {
        int separator = url.IndexOf("://", StringComparison.Ordinal);
        if (separator <= 0)
        {
            throw Fail($"not a database URL ({Expected})");
        }

        string scheme = url[..separator];
        string rest = url[(separator + 3)..];

        if (scheme.Equals("postgres", StringComparison.OrdinalIgnoreCase)
            || scheme.Equals("postgresql", StringComparison.OrdinalIgnoreCase))
        {
            return ParsePostgres(rest);
        }

        if (scheme.Equals("sqlite", StringComparison.OrdinalIgnoreCase))
        {
            return ParseSqlite(rest);
        }

        // A malformed URL can put user:password before the first "://"; only a string that
        // is syntactically a scheme is safe to repeat.
        throw Fail(IsSchemeSyntax(scheme)
            ? $"unsupported scheme {SettingText.Quote(scheme)} ({Expected})"
            : $"unsupported scheme ({Expected})");
    }

    private static DatabaseSettings ParsePostgres(string rest)
    {
        int authorityEnd = rest.AsSpan().IndexOfAny('/', '?', '#');
        string authority = authorityEnd < 0 ? rest : rest[..authorityEnd];
        string tail = authorityEnd < 0 ? "" : rest[authorityEnd..];

        string? username = null;
        string? password = null;
        string hostPort = authority;

        // The last '@' ends the user info, as in urllib: an unencoded '@' in a password survives.
        int at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            string userInfo = authority[..at];
            hostPort = authority[(at + 1)..];
            int colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            username = Decode(colon < 0 ? userInfo : userInfo[..colon]);
            password = colon < 0 ? null : Decode(userInfo[(colon + 1)..]);
        }

        // libpq's multi-host form, postgresql://user@primary:5432,standby:5432/db: a primary and its standbys.
        var hosts = new List<PostgresEndpoint>();
        foreach (string entry in hostPort.Split(','))
        {
            (string host, string? portText) = SplitHostPort(entry);
            if (host.Length == 0)
            {
                throw Fail($"host is missing ({PostgresShape})");
            }

            int port = DatabaseSettingsFactory.DefaultPostgresPort;
            if (!string.IsNullOrEmpty(portText) && !DatabaseSettingsFactory.TryParsePort(portText, out port))
            {
                throw Fail("port is not a number between 1 and 65535");
            }

            hosts.Add(new PostgresEndpoint(host, port));
        }

        int fragment = tail.IndexOf('#', StringComparison.Ordinal);
        if (fragment >= 0)
        {
            tail = tail[..fragment];
        }

        int queryStart = tail.IndexOf('?', StringComparison.Ordinal);
        string path = queryStart < 0 ? tail : tail[..queryStart];
        string query = queryStart < 0 ? "" : tail[(queryStart + 1)..];

        string database = path.Length > 0 ? Decode(path[1..]) : "";
        if (database.Length == 0)
        {
            throw Fail($"database name is missing ({PostgresShape})");
        }

        (string? sslMode, string? targetSessionAttributes) = ReadOptions(query);
        return DatabaseSettingsFactory.PostgreSql(hosts, database, username, password, sslMode, targetSessionAttributes);
    }

    private static (string Host, string? Port) SplitHostPort(string hostPort)
    {
        if (hostPort.StartsWith('['))
        {
            int close = hostPort.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw Fail("IPv6 host is missing its closing ']'");
            }

            string after = hostPort[(close + 1)..];
            if (after.Length > 0 && after[0] != ':')
            {
                throw Fail($"unexpected text after the IPv6 host ({PostgresShape})");
            }

            return (hostPort[1..close], after.Length > 0 ? after[1..] : null);
        }

        int colon = hostPort.LastIndexOf(':');
        return colon < 0
            ? (Decode(hostPort), null)
            : (Decode(hostPort[..colon]), hostPort[(colon + 1)..]);
    }

    private static (string? SslMode, string? TargetSessionAttributes) ReadOptions(string query)
    {
        string? mode = null;
        string? target = null;
        foreach (string pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            string key = Decode(equals < 0 ? pair : pair[..equals]);
            string value = equals < 0 ? "" : Decode(pair[(equals + 1)..]);
            switch (key)
            {
                case "sslmode":
                    mode = PostgresSslModes.ToNpgsql(value) ?? throw Fail($"unknown sslmode ({PostgresSslModes.Expected})");
                    break;
                case "target_session_attrs":
                    target = PostgresTargetSessionAttributes.ToNpgsql(value)
                        ?? throw Fail($"unknown target_session_attrs ({PostgresTargetSessionAttributes.Expected})");
                    break;

                // Other libpq options (connect_timeout, application_name, ...) are not part of the contract; they
                // are ignored rather than failing a URL that works elsewhere.
            }
        }

        return (mode, target);
    }

    private static DatabaseSettings ParseSqlite(string rest)
    {
        int end = rest.AsSpan().IndexOfAny('?', '#');
        string location = end < 0 ? rest : rest[..end];

        // dj-database-url maps an empty location and ":memory:" to an in-memory database, which
        // would silently lose every job at restart.
        if (location.Length == 0 || location.StartsWith(":memory:", StringComparison.Ordinal))
        {
            throw Fail($"in-memory SQLite is refused; use {SqliteShape}");
        }

        if (location[0] != '/')
        {
            throw Fail($"sqlite URL must not name a host; use {SqliteShape}");
        }

        // As in dj-database-url: the URL path minus the one '/' that ends the empty host, so
        // sqlite:////var/lib/x.sqlite3 is /var/lib/x.sqlite3 and sqlite:///x.sqlite3 is relative.
        string path = Decode(location[1..]);
        if (!Path.IsPathFullyQualified(path))
        {
            throw Fail($"sqlite path must be absolute ({SqliteShape})");
        }

        return DatabaseSettingsFactory.Sqlite(Path.GetFullPath(path));
    }

    private static bool IsSchemeSyntax(string scheme)
    {
        if (scheme.Length is 0 or > 32 || !char.IsAsciiLetter(scheme[0]))
        {
            return false;
        }

        foreach (char c in scheme)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static string Decode(string value) => Uri.UnescapeDataString(value);

    private static ConfigurationContractException Fail(string problem) => new(Variable, problem);
}
