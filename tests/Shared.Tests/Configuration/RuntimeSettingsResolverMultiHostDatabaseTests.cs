using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Tests.Support;
using Npgsql;

namespace LxAnnotate.Shared.Tests.Configuration;

/// <summary>
/// A primary and its standbys in one connection: libpq's multi-host forms of <c>DATABASE_URL</c> and
/// <c>DJANGO_DB_HOST</c>/<c>DJANGO_DB_PORT</c> become Npgsql's multi-host connection string, which asks for the
/// primary unless told otherwise.
/// </summary>
public sealed class RuntimeSettingsResolverMultiHostDatabaseTests : RuntimeSettingsResolverDatabaseTestBase
{
    [Fact]
    public void Resolve_MultiHostUrl_HostsWithPortsAndReadWriteByDefault()
    {
        var settings = TestEnvironment.Resolve(Environment(
            databaseUrl: $"postgresql://lxa:{EncodedPassword}@db-a:5432,db-b:5433,[::1]/lxannotate?sslmode=require")).Database;

        var builder = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
        Assert.Equal("db-a:5432,db-b:5433,[::1]:5432", builder.Host);
        Assert.Equal("read-write", builder.TargetSessionAttributes);
        Assert.Equal(Password, builder.Password);
        Assert.Equal(SslMode.Require, builder.SslMode);
        Assert.Equal("postgresql://lxa@db-a:5432,db-b:5433,[::1]:5432/lxannotate", settings.SafeDescription);
        AssertNoSecret(settings.SafeDescription);

        // Npgsql accepts it as a multi-host source.
        using var source = NpgsqlDataSource.Create(settings.ConnectionString);
        Assert.IsType<NpgsqlMultiHostDataSource>(source);
    }

    [Theory]
    [InlineData("any")]
    [InlineData("read-write")]
    [InlineData("read-only")]
    [InlineData("primary")]
    [InlineData("standby")]
    [InlineData("prefer-standby")]
    public void Resolve_MultiHostUrlTargetSessionAttrs_PassedToNpgsql(string value)
    {
        var settings = TestEnvironment.Resolve(Environment(
            databaseUrl: $"postgres://lxa:pw@db-a,db-b/lxannotate?target_session_attrs={value}")).Database;

        Assert.Equal(value, new NpgsqlConnectionStringBuilder(settings.ConnectionString).TargetSessionAttributes);
    }

    [Fact]
    public void Resolve_SingleHostUrlWithTargetSessionAttrs_LeftOutAsNpgsqlRefusesItForOneHost()
    {
        var settings = TestEnvironment.Resolve(Environment(
            databaseUrl: "postgres://lxa:pw@db:5432/lxannotate?target_session_attrs=read-write")).Database;

        Assert.Null(new NpgsqlConnectionStringBuilder(settings.ConnectionString).TargetSessionAttributes);
        using var source = NpgsqlDataSource.Create(settings.ConnectionString);
        Assert.IsNotType<NpgsqlMultiHostDataSource>(source);
    }

    [Theory]
    [InlineData("postgres://lxa:pw@db-a,/lxannotate", "host is missing")]
    [InlineData("postgres://lxa:pw@db-a,db-b:0/lxannotate", "port")]
    [InlineData("postgres://lxa:pw@db-a,db-b/lxannotate?target_session_attrs=sometimes", "target_session_attrs")]
    public void Resolve_MalformedMultiHostUrl_ThrowsNamingDatabaseUrl(string url, string expected)
    {
        var ex = TestEnvironment.ResolveFails(Environment(databaseUrl: url));

        Assert.Equal("DATABASE_URL", ex.VariableName);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("6543", "db-a:6543,db-b:6543")]
    [InlineData("6543, 6544", "db-a:6543,db-b:6544")]
    [InlineData(null, "db-a:5432,db-b:5432")]
    public void Resolve_LegacyHostList_OnePortForAllOrOnePerHost(string? port, string expected)
    {
        var env = Legacy("django.db.backends.postgresql");
        env["DJANGO_DB_NAME"] = "lxannotate";
        env["DJANGO_DB_HOST"] = "db-a, db-b";
        env["DJANGO_DB_PORT"] = port;

        var builder = new NpgsqlConnectionStringBuilder(TestEnvironment.Resolve(env).Database.ConnectionString);

        Assert.Equal(expected, builder.Host);
        Assert.Equal("read-write", builder.TargetSessionAttributes);
    }

    [Theory]
    [InlineData("db-a,,db-b", null, "DJANGO_DB_HOST")]
    [InlineData("db-a,db-b,db-c", "6543,6544", "DJANGO_DB_PORT")]
    [InlineData("db-a,db-b", "6543,x", "DJANGO_DB_PORT")]
    public void Resolve_MalformedLegacyHostList_ThrowsNamingTheVariable(string hosts, string? port, string variable)
    {
        var env = Legacy("django.db.backends.postgresql");
        env["DJANGO_DB_NAME"] = "lxannotate";
        env["DJANGO_DB_HOST"] = hosts;
        env["DJANGO_DB_PORT"] = port;

        var ex = TestEnvironment.ResolveFails(env);

        Assert.Equal(variable, ex.VariableName);
    }
}
