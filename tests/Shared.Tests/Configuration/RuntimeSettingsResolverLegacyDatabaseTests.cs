using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Tests.Support;
using Npgsql;

namespace LxAnnotate.Shared.Tests.Configuration;

/// <summary>The legacy <c>DJANGO_DB_*</c> variables, and <c>DATABASE_URL</c> winning over them.</summary>
public sealed class RuntimeSettingsResolverLegacyDatabaseTests : RuntimeSettingsResolverDatabaseTestBase
{
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
}
