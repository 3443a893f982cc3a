using static LxAnnotate.Shared.Configuration.EnvironmentVariableNames;

namespace LxAnnotate.Shared.Configuration;

/// <summary>
/// <c>DATABASE_URL</c>, else the legacy <c>DJANGO_DB_*</c> set, else the role's default.
/// Each error names the variable that made the choice, so the operator knows what to edit.
/// </summary>
internal static class DatabaseSettingsResolver
{
    private const string DefaultSqliteFileName = "lxa.sqlite3";
    private const string ExpectedEngines = "expected django.db.backends.postgresql or django.db.backends.sqlite3";
    private const string SqliteRefused = "central_hub requires PostgreSQL; SQLite is refused";

    private static readonly string[] LegacyVariables =
        [DjangoDbName, DjangoDbUser, DjangoDbPassword, DjangoDbPasswordFile, DjangoDbHost, DjangoDbPort, DjangoDbSslMode];

    // The original's production settings (lx-annotate config.py) connect with sslmode=require unless told otherwise.
    private const string DefaultSslMode = "require";

    public static DatabaseSettings Resolve(Func<string, string?> lookup, DeploymentRole role, string dataRoot)
    {
        string? url = SettingText.Read(lookup, DatabaseUrl);
        if (url is not null)
        {
            DatabaseSettings fromUrl = DatabaseUrlParser.Parse(url);
            RefuseSqliteOnHub(fromUrl, role, DatabaseUrl);
            return fromUrl;
        }

        string? engine = SettingText.Read(lookup, DjangoDbEngine);
        if (engine is null)
        {
            // Without the engine a half-copied legacy block would fall through to the SQLite
            // default and the service would start on an empty database.
            string[] present = Array.FindAll(LegacyVariables, name => SettingText.Read(lookup, name) is not null);
            if (present.Length > 0)
            {
                throw new ConfigurationContractException(
                    DjangoDbEngine,
                    $"required when {string.Join(", ", present)} {(present.Length == 1 ? "is" : "are")} set ({ExpectedEngines})");
            }

            if (role == DeploymentRole.CentralHub)
            {
                throw new ConfigurationContractException(
                    DatabaseUrl,
                    "central_hub requires PostgreSQL; no database is configured (set DATABASE_URL=postgres://… or DJANGO_DB_*)");
            }

            return DatabaseSettingsFactory.Sqlite(Path.Join(dataRoot, DefaultSqliteFileName));
        }

        switch (engine)
        {
            case "django.db.backends.postgresql":
            case "django.db.backends.postgresql_psycopg2":
            case "postgresql":
                return LegacyPostgres(lookup);
            case "django.db.backends.sqlite3":
            case "sqlite3":
                if (role == DeploymentRole.CentralHub)
                {
                    throw new ConfigurationContractException(DjangoDbEngine, SqliteRefused);
                }

                return LegacySqlite(lookup, dataRoot);
            default:
                throw new ConfigurationContractException(
                    DjangoDbEngine, $"unknown engine {SettingText.Quote(engine)} ({ExpectedEngines})");
        }
    }

    private static DatabaseSettings LegacyPostgres(Func<string, string?> lookup)
    {
        string name = SettingText.Read(lookup, DjangoDbName)
            ?? throw new ConfigurationContractException(DjangoDbName, "required for PostgreSQL (the database name)");

        PostgresEndpoint[] hosts = LegacyHosts(lookup);
        string sslText = SettingText.Read(lookup, DjangoDbSslMode) ?? DefaultSslMode;
        string sslMode = PostgresSslModes.ToNpgsql(sslText)
            ?? throw new ConfigurationContractException(DjangoDbSslMode, $"unknown sslmode {SettingText.Quote(sslText)} ({PostgresSslModes.Expected})");

        return DatabaseSettingsFactory.PostgreSql(
            hosts, name, SettingText.Read(lookup, DjangoDbUser), LegacyPassword(lookup), sslMode);
    }

    /// <summary>
    /// <c>DJANGO_DB_HOST</c> and <c>DJANGO_DB_PORT</c> as libpq (and so Django) reads them: a comma-separated list
    /// of hosts, and one port for all of them or one per host.
    /// </summary>
    private static PostgresEndpoint[] LegacyHosts(Func<string, string?> lookup)
    {
        string[] hosts = (SettingText.Read(lookup, DjangoDbHost) ?? "localhost").Split(',', StringSplitOptions.TrimEntries);
        if (Array.Exists(hosts, h => h.Length == 0))
        {
            throw new ConfigurationContractException(DjangoDbHost, "an empty host in the list (expected host or host1,host2)");
        }

        string? portText = SettingText.Read(lookup, DjangoDbPort);
        string[] portTexts = portText is null ? [] : portText.Split(',', StringSplitOptions.TrimEntries);
        if (portTexts.Length > 1 && portTexts.Length != hosts.Length)
        {
            throw new ConfigurationContractException(
                DjangoDbPort, $"{portTexts.Length} ports for {hosts.Length} hosts (expected one port, or one per host in DJANGO_DB_HOST)");
        }

        var endpoints = new PostgresEndpoint[hosts.Length];
        for (int i = 0; i < hosts.Length; i++)
        {
            int port = DatabaseSettingsFactory.DefaultPostgresPort;
            string? text = portTexts.Length == 0 ? null : portTexts[portTexts.Length == 1 ? 0 : i];
            if (text is not null && !DatabaseSettingsFactory.TryParsePort(text, out port))
            {
                throw new ConfigurationContractException(
                    DjangoDbPort, $"{SettingText.Quote(text)} is not a port number (expected 1-65535)");
            }

            endpoints[i] = new PostgresEndpoint(hosts[i], port);
        }

        return endpoints;
    }

    /// <summary>
    /// <c>DJANGO_DB_PASSWORD</c> when it is set and not empty, else the content of <c>DJANGO_DB_PASSWORD_FILE</c>
    /// with surrounding whitespace stripped, as the original's settings read it.
    /// </summary>
    private static string? LegacyPassword(Func<string, string?> lookup)
    {
        // Not trimmed: surrounding spaces can be part of a password, and the env file already
        // strips them from unquoted values.
        string? password = lookup(DjangoDbPassword);
        string? file = SettingText.Read(lookup, DjangoDbPasswordFile);
        if (!string.IsNullOrEmpty(password) || file is null)
        {
            return password;
        }

        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new ConfigurationContractException(DjangoDbPasswordFile, $"cannot read the password file {SettingText.Quote(file)} ({ex.GetType().Name})", ex);
        }

        string value = text.Trim();
        return value.Length > 0
            ? value
            : throw new ConfigurationContractException(DjangoDbPasswordFile, $"the password file {SettingText.Quote(file)} is empty");
    }

    private static DatabaseSettings LegacySqlite(Func<string, string?> lookup, string dataRoot)
    {
        string? name = SettingText.Read(lookup, DjangoDbName);
        if (name is null)
        {
            return DatabaseSettingsFactory.Sqlite(Path.Join(dataRoot, DefaultSqliteFileName));
        }

        // Django resolves a relative NAME against its working directory; here that would be
        // wherever systemd starts the process.
        if (!Path.IsPathFullyQualified(name))
        {
            throw new ConfigurationContractException(
                DjangoDbName, $"SQLite path must be absolute, got {SettingText.Quote(name)}");
        }

        return DatabaseSettingsFactory.Sqlite(Path.GetFullPath(name));
    }

    private static void RefuseSqliteOnHub(DatabaseSettings settings, DeploymentRole role, string variable)
    {
        if (role == DeploymentRole.CentralHub && settings.Provider == DatabaseProvider.Sqlite)
        {
            throw new ConfigurationContractException(variable, SqliteRefused);
        }
    }
}
