using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Tests.Support;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace LxAnnotate.Shared.Tests.Configuration;

/// <summary><c>DATABASE_URL</c> parsing: PostgreSQL and SQLite URLs into connection strings, malformed URLs refused.</summary>
public sealed class RuntimeSettingsResolverDatabaseUrlTests : RuntimeSettingsResolverDatabaseTestBase
{
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
}
