using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Tests.Support;

namespace LxAnnotate.Shared.Tests.Configuration;

/// <summary>The database per deployment role: SQLite under the data root by default, PostgreSQL required on a central hub.</summary>
public sealed class RuntimeSettingsResolverDatabaseRoleTests : RuntimeSettingsResolverDatabaseTestBase
{
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
