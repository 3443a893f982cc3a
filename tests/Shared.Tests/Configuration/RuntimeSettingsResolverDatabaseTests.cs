using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Tests.Support;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace LxAnnotate.Shared.Tests.Configuration;

public sealed class RuntimeSettingsResolverDatabaseTests : IDisposable
{
    // Distinctive, and full of characters that must be URL-encoded; "Zq7Xv" survives encoding,
    // so checking for it catches both the raw and the encoded form.
    private const string Password = "Zq7Xv-p@ss:w/rd#1%;=\"' x";
    private const string PasswordMarker = "Zq7Xv";
    private static readonly string EncodedPassword = Uri.EscapeDataString(Password);

    private readonly TempDirectory _temp = new();
    private readonly string _root;

    public RuntimeSettingsResolverDatabaseTests()
    {
        _root = _temp.Combine("data");
    }

    public void Dispose() => _temp.Dispose();

    private Dictionary<string, string?> Environment(string? role = null, string? databaseUrl = null) => new()
    {
        ["ENDOREG_DEPLOYMENT_ROLE"] = role,
        ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = _root,
        ["DATABASE_URL"] = databaseUrl,
    };

    private Dictionary<string, string?> Legacy(string? engine, string? role = null)
    {
        var env = Environment(role);
        env["DJANGO_DB_ENGINE"] = engine;
        return env;
    }

    private static void AssertNoSecret(string text)
    {
        Assert.DoesNotContain(PasswordMarker, text, StringComparison.Ordinal);
        Assert.DoesNotContain(EncodedPassword, text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("postgresql")]
    public void Resolve_PostgresUrlWithSslModeAndEncodedPassword_BuildsNpgsqlConnectionString(string scheme)
    {
        var settings = TestEnvironment.Resolve(Environment(
            databaseUrl: $"{scheme}://lxa:{EncodedPassword}@db.example.org:6543/lxannotate?sslmode=require")).Database;

        Assert.Equal(DatabaseProvider.PostgreSql, settings.Provider);
        var builder = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
        Assert.Equal("db.example.org", builder.Host);
        Assert.Equal(6543, builder.Port);
        Assert.Equal("lxannotate", builder.Database);
        Assert.Equal("lxa", builder.Username);
        Assert.Equal(Password, builder.Password);
        Assert.Equal(SslMode.Require, builder.SslMode);
        Assert.Equal("postgresql://lxa@db.example.org:6543/lxannotate", settings.SafeDescription);
    }

    [Fact]
    public void Resolve_PostgresUrlWithoutPort_UsesDefaultPortAndNoSslMode()
    {
        var settings = TestEnvironment.Resolve(Environment(databaseUrl: "postgres://lxa:pw@db/lxannotate")).Database;

        var builder = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
        Assert.Equal(5432, builder.Port);
        Assert.DoesNotContain("SSL Mode", settings.ConnectionString, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("postgresql://lxa@db:5432/lxannotate", settings.SafeDescription);
    }

    [Theory]
    [InlineData("disable", SslMode.Disable)]
    [InlineData("allow", SslMode.Allow)]
    [InlineData("prefer", SslMode.Prefer)]
    [InlineData("require", SslMode.Require)]
    [InlineData("verify-ca", SslMode.VerifyCA)]
    [InlineData("verify-full", SslMode.VerifyFull)]
    public void Resolve_PostgresUrlSslMode_MappedToNpgsql(string value, SslMode expected)
    {
        var settings = TestEnvironment.Resolve(Environment(
            databaseUrl: $"postgresql://lxa:pw@db/lxannotate?connect_timeout=10&sslmode={value}")).Database;

        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(settings.ConnectionString).SslMode);
    }

    [Fact]
    public void Resolve_PostgresUrlWithIpv6Host_ParsesHostAndPort()
    {
        var settings = TestEnvironment.Resolve(Environment(databaseUrl: "postgresql://lxa:pw@[::1]:5433/lxannotate")).Database;

        var builder = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
        Assert.Equal("::1", builder.Host);
        Assert.Equal(5433, builder.Port);
        Assert.Equal("postgresql://lxa@[::1]:5433/lxannotate", settings.SafeDescription);
    }

    [Fact]
    public void Resolve_PostgresUrlWithEncodedSocketDirectory_DecodesHost()
    {
        var settings = TestEnvironment.Resolve(Environment(
            databaseUrl: "postgres://lxa@%2Fvar%2Frun%2Fpostgresql/lxannotate")).Database;

        Assert.Equal("/var/run/postgresql", new NpgsqlConnectionStringBuilder(settings.ConnectionString).Host);
    }

    [Fact]
    public void Resolve_PostgresUrlWithoutUser_NoUsernameInConnectionString()
    {
        var settings = TestEnvironment.Resolve(Environment(databaseUrl: "postgres://db/lxannotate")).Database;

        Assert.Null(new NpgsqlConnectionStringBuilder(settings.ConnectionString).Username);
        Assert.Equal("postgresql://db:5432/lxannotate", settings.SafeDescription);
    }

    [Theory]
    [InlineData("postgres://lxa:pw@/lxannotate", "host is missing")]
    [InlineData("postgres://lxa:pw@:5432/lxannotate", "host is missing")]
    [InlineData("postgres://lxa:pw@db", "database name is missing")]
    [InlineData("postgres://lxa:pw@db:5432/", "database name is missing")]
    [InlineData("postgres://lxa:pw@db:5432/?sslmode=require", "database name is missing")]
    [InlineData("postgres://lxa:pw@db:99999/lxannotate", "port")]
    [InlineData("postgres://lxa:pw@db:abc/lxannotate", "port")]
    [InlineData("postgres://lxa:pw@db/lxannotate?sslmode=sometimes", "sslmode")]
    [InlineData("postgres://lxa:pw@[::1/lxannotate", "IPv6")]
    public void Resolve_MalformedPostgresUrl_ThrowsNamingDatabaseUrl(string url, string expected)
    {
        var ex = TestEnvironment.ResolveFails(Environment(databaseUrl: url));

        Assert.Equal("DATABASE_URL", ex.VariableName);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_SqliteUrlWithFourSlashes_UsesAbsolutePath()
    {
        var settings = TestEnvironment.Resolve(Environment(databaseUrl: "sqlite:////var/lib/lxa/lxa.sqlite3")).Database;

        Assert.Equal(DatabaseProvider.Sqlite, settings.Provider);
        Assert.Equal("/var/lib/lxa/lxa.sqlite3", new SqliteConnectionStringBuilder(settings.ConnectionString).DataSource);
        Assert.Equal("Data Source=/var/lib/lxa/lxa.sqlite3", settings.ConnectionString);
        Assert.Equal("sqlite:/var/lib/lxa/lxa.sqlite3", settings.SafeDescription);
    }

    [Theory]
    [InlineData("sqlite:///lxa.sqlite3")]
    [InlineData("sqlite:///db/lxa.sqlite3")]
    public void Resolve_SqliteUrlWithRelativePath_Throws(string url)
    {
        var ex = TestEnvironment.ResolveFails(Environment(databaseUrl: url));

        Assert.Equal("DATABASE_URL", ex.VariableName);
        Assert.Equal("DATABASE_URL: sqlite path must be absolute (sqlite:////abs/path.sqlite3)", ex.Message);
    }

    [Theory]
    [InlineData("sqlite://:memory:")]
    [InlineData("sqlite://")]
    public void Resolve_InMemorySqliteUrl_Throws(string url)
    {
        var ex = TestEnvironment.ResolveFails(Environment(databaseUrl: url));

        Assert.Equal("DATABASE_URL", ex.VariableName);
        Assert.Contains("in-memory SQLite is refused", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_SqliteUrlWithHost_Throws()
    {
        var ex = TestEnvironment.ResolveFails(Environment(databaseUrl: "sqlite://server/var/lib/lxa.sqlite3"));

        Assert.Equal("DATABASE_URL", ex.VariableName);
    }

    [Fact]
    public void Resolve_UnsupportedScheme_ThrowsNamingScheme()
    {
        var ex = TestEnvironment.ResolveFails(Environment(databaseUrl: $"mysql://lxa:{EncodedPassword}@db/lxannotate"));

        Assert.Equal(
            "DATABASE_URL: unsupported scheme 'mysql' (expected postgres://, postgresql:// or sqlite:////ABS/PATH)",
            ex.Message);
    }

    [Fact]
    public void Resolve_DatabaseUrlWithoutScheme_Throws()
    {
        var ex = TestEnvironment.ResolveFails(Environment(databaseUrl: "lxannotate"));

        Assert.Equal("DATABASE_URL", ex.VariableName);
        Assert.DoesNotContain("lxannotate", ex.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> UrlsCarryingThePassword() => new()
    {
        $"mysql://lxa:{EncodedPassword}@db/lxannotate",
        $"postgres://lxa:{EncodedPassword}@/lxannotate",
        $"postgres://lxa:{EncodedPassword}@db:notaport/lxannotate",
        $"postgres://lxa:{EncodedPassword}@db",
        $"postgres://lxa:{EncodedPassword}@db/lxannotate?sslmode=bogus",
        $"postgres://lxa:{EncodedPassword}@[::1/lxannotate",
        $"postgres://lxa:{Password}@db/lxannotate",
        $"lxa:{Password}@db://lxannotate",
        $"{Password}",
        $"sqlite://lxa:{EncodedPassword}@db/x.sqlite3",
        $"sqlite:///{PasswordMarker}.sqlite3",
    };

    [Theory]
    [MemberData(nameof(UrlsCarryingThePassword))]
    public void Resolve_BadDatabaseUrl_MessageNeverContainsUrlOrPassword(string url)
    {
        var ex = Assert.ThrowsAny<Exception>(() => TestEnvironment.Resolve(Environment(databaseUrl: url)));

        var contract = Assert.IsType<ConfigurationContractException>(ex);
        TestEnvironment.AssertOneLine(contract);
        Assert.DoesNotContain(url, ex.Message, StringComparison.Ordinal);
        AssertNoSecret(ex.Message);
        AssertNoSecret(ex.ToString());
    }

    [Fact]
    public void Resolve_PostgresUrl_PasswordOnlyInConnectionString()
    {
        var settings = TestEnvironment.Resolve(Environment(
            databaseUrl: $"postgresql://lxa:{EncodedPassword}@db.example.org/lxannotate"));

        Assert.Contains(PasswordMarker, settings.Database.ConnectionString, StringComparison.Ordinal);
        AssertNoSecret(settings.Database.SafeDescription);
        AssertNoSecret(settings.Database.ToString());
        AssertNoSecret($"{settings.Database}");
        AssertNoSecret(settings.ToString());
        Assert.Equal(settings.Database.SafeDescription, settings.Database.ToString());
    }

    [Fact]
    public void Resolve_DatabaseUrlAndLegacySet_DatabaseUrlWins()
    {
        var env = Environment(databaseUrl: "postgres://lxa:pw@url-host/from_url");
        env["DJANGO_DB_ENGINE"] = "django.db.backends.sqlite3";
        env["DJANGO_DB_NAME"] = "/var/lib/legacy.sqlite3";

        var settings = TestEnvironment.Resolve(env).Database;

        Assert.Equal(DatabaseProvider.PostgreSql, settings.Provider);
        Assert.Equal("from_url", new NpgsqlConnectionStringBuilder(settings.ConnectionString).Database);
    }

    [Theory]
    [InlineData("django.db.backends.postgresql")]
    [InlineData("django.db.backends.postgresql_psycopg2")]
    [InlineData("postgresql")]
    public void Resolve_LegacyPostgres_BuildsConnectionString(string engine)
    {
        var env = Legacy(engine);
        env["DJANGO_DB_NAME"] = "lxannotate";
        env["DJANGO_DB_USER"] = "lxa";
        env["DJANGO_DB_PASSWORD"] = Password;
        env["DJANGO_DB_HOST"] = "db.example.org";
        env["DJANGO_DB_PORT"] = "6543";

        var settings = TestEnvironment.Resolve(env).Database;

        Assert.Equal(DatabaseProvider.PostgreSql, settings.Provider);
        var builder = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
        Assert.Equal("db.example.org", builder.Host);
        Assert.Equal(6543, builder.Port);
        Assert.Equal("lxannotate", builder.Database);
        Assert.Equal("lxa", builder.Username);
        Assert.Equal(Password, builder.Password);
        Assert.Equal("postgresql://lxa@db.example.org:6543/lxannotate", settings.SafeDescription);
        AssertNoSecret(settings.ToString());
    }

    [Fact]
    public void Resolve_LegacyPostgresWithoutHostAndPort_UsesLocalhostAnd5432()
    {
        var env = Legacy("django.db.backends.postgresql");
        env["DJANGO_DB_NAME"] = "lxannotate";

        var builder = new NpgsqlConnectionStringBuilder(TestEnvironment.Resolve(env).Database.ConnectionString);

        Assert.Equal("localhost", builder.Host);
        Assert.Equal(5432, builder.Port);
    }

    [Fact]
    public void Resolve_LegacyPostgresWithoutName_ThrowsNamingName()
    {
        var env = Legacy("django.db.backends.postgresql");
        env["DJANGO_DB_PASSWORD"] = Password;

        var ex = TestEnvironment.ResolveFails(env);

        Assert.Equal("DJANGO_DB_NAME", ex.VariableName);
        AssertNoSecret(ex.Message);
    }

    [Theory]
    [InlineData("django.db.backends.sqlite3")]
    [InlineData("sqlite3")]
    public void Resolve_LegacySqliteWithAbsoluteName_UsesIt(string engine)
    {
        var env = Legacy(engine);
        env["DJANGO_DB_NAME"] = "/var/lib/lxa/legacy.sqlite3";

        var settings = TestEnvironment.Resolve(env).Database;

        Assert.Equal(DatabaseProvider.Sqlite, settings.Provider);
        Assert.Equal("Data Source=/var/lib/lxa/legacy.sqlite3", settings.ConnectionString);
    }

    [Fact]
    public void Resolve_LegacySqliteWithoutName_UsesDefaultPath()
    {
        var settings = TestEnvironment.Resolve(Legacy("django.db.backends.sqlite3")).Database;

        Assert.Equal($"Data Source={Path.Join(_root, "lxa.sqlite3")}", settings.ConnectionString);
    }

    [Fact]
    public void Resolve_LegacySqliteWithRelativeName_ThrowsNamingName()
    {
        var env = Legacy("django.db.backends.sqlite3");
        env["DJANGO_DB_NAME"] = "db.sqlite3";

        var ex = TestEnvironment.ResolveFails(env);

        Assert.Equal("DJANGO_DB_NAME", ex.VariableName);
    }

    [Theory]
    [InlineData("django.db.backends.mysql")]
    [InlineData("Postgresql")]
    [InlineData("oracle")]
    public void Resolve_UnknownLegacyEngine_ThrowsNamingEngine(string engine)
    {
        var ex = TestEnvironment.ResolveFails(Legacy(engine));

        Assert.Equal("DJANGO_DB_ENGINE", ex.VariableName);
        Assert.Contains("unknown engine", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("-1")]
    [InlineData("54 32")]
    public void Resolve_LegacyBadPort_ThrowsNamingPort(string port)
    {
        var env = Legacy("django.db.backends.postgresql");
        env["DJANGO_DB_NAME"] = "lxannotate";
        env["DJANGO_DB_PASSWORD"] = Password;
        env["DJANGO_DB_PORT"] = port;

        var ex = TestEnvironment.ResolveFails(env);

        Assert.Equal("DJANGO_DB_PORT", ex.VariableName);
        AssertNoSecret(ex.Message);
    }

    [Theory]
    [InlineData("DJANGO_DB_NAME", "lxannotate")]
    [InlineData("DJANGO_DB_USER", "lxa")]
    [InlineData("DJANGO_DB_PASSWORD", Password)]
    [InlineData("DJANGO_DB_HOST", "db.example.org")]
    [InlineData("DJANGO_DB_PORT", "5432")]
    public void Resolve_LegacyVariableWithoutEngine_ThrowsNamingEngine(string variable, string value)
    {
        var env = Environment();
        env[variable] = value;

        var ex = TestEnvironment.ResolveFails(env);

        Assert.Equal("DJANGO_DB_ENGINE", ex.VariableName);
        Assert.Contains(variable, ex.Message, StringComparison.Ordinal);
        AssertNoSecret(ex.Message);
    }

    [Theory]
    [InlineData("standalone")]
    [InlineData("site_node")]
    [InlineData(null)]
    public void Resolve_NoDatabaseConfigured_DefaultSqliteUnderRoot(string? role)
    {
        var settings = TestEnvironment.Resolve(Environment(role)).Database;

        string expected = Path.Join(_root, "lxa.sqlite3");
        Assert.Equal(DatabaseProvider.Sqlite, settings.Provider);
        Assert.Equal($"Data Source={expected}", settings.ConnectionString);
        Assert.Equal($"sqlite:{expected}", settings.SafeDescription);
    }

    [Fact]
    public void Resolve_CentralHubWithoutDatabase_Throws()
    {
        var ex = TestEnvironment.ResolveFails(Environment("central_hub"));

        Assert.Equal("DATABASE_URL", ex.VariableName);
        Assert.Equal(
            "DATABASE_URL: central_hub requires PostgreSQL; no database is configured (set DATABASE_URL=postgres://… or DJANGO_DB_*)",
            ex.Message);
    }

    [Fact]
    public void Resolve_CentralHubWithSqliteDatabaseUrl_Throws()
    {
        var ex = TestEnvironment.ResolveFails(Environment("central_hub", "sqlite:////var/lib/lxa/hub.sqlite3"));

        Assert.Equal("DATABASE_URL: central_hub requires PostgreSQL; SQLite is refused", ex.Message);
    }

    [Theory]
    [InlineData("django.db.backends.sqlite3")]
    [InlineData("sqlite3")]
    public void Resolve_CentralHubWithLegacySqliteEngine_ThrowsNamingEngine(string engine)
    {
        var env = Legacy(engine, "central_hub");
        env["DJANGO_DB_NAME"] = "/var/lib/lxa/hub.sqlite3";

        var ex = TestEnvironment.ResolveFails(env);

        Assert.Equal("DJANGO_DB_ENGINE: central_hub requires PostgreSQL; SQLite is refused", ex.Message);
    }

    [Fact]
    public void Resolve_CentralHubWithPostgresUrl_Accepted()
    {
        var settings = TestEnvironment.Resolve(Environment("central_hub", "postgres://lxa:pw@db/lxannotate"));

        Assert.Equal(DatabaseProvider.PostgreSql, settings.Database.Provider);
    }

    [Fact]
    public void Resolve_CentralHubWithLegacyPostgres_Accepted()
    {
        var env = Legacy("django.db.backends.postgresql", "central_hub");
        env["DJANGO_DB_NAME"] = "lxannotate";

        Assert.Equal(DatabaseProvider.PostgreSql, TestEnvironment.Resolve(env).Database.Provider);
    }
}
