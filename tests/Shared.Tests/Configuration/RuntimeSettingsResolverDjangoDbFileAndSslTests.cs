using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Tests.Support;
using Npgsql;

namespace LxAnnotate.Shared.Tests.Configuration;

/// <summary><c>DJANGO_DB_PASSWORD_FILE</c> and <c>DJANGO_DB_SSLMODE</c> as the original's settings (lx-annotate config.py) read them.</summary>
public sealed class RuntimeSettingsResolverDjangoDbFileAndSslTests : RuntimeSettingsResolverDatabaseTestBase
{
    [Fact]
    public void Resolve_PasswordFile_ReadWithSurroundingWhitespaceStripped()
    {
        var env = Postgres();
        env["DJANGO_DB_PASSWORD_FILE"] = WriteFile("db-password", "\n  " + Password + "  \n");

        var settings = TestEnvironment.Resolve(env).Database;

        Assert.Equal(Password.Trim(), new NpgsqlConnectionStringBuilder(settings.ConnectionString).Password);
        AssertNoSecret(settings.ToString());
    }

    [Fact]
    public void Resolve_PasswordAndPasswordFile_InlinePasswordWinsAsInTheOriginal()
    {
        var env = Postgres();
        env["DJANGO_DB_PASSWORD"] = "inline-secret";
        env["DJANGO_DB_PASSWORD_FILE"] = WriteFile("db-password", "file-secret");

        var settings = TestEnvironment.Resolve(env).Database;

        Assert.Equal("inline-secret", new NpgsqlConnectionStringBuilder(settings.ConnectionString).Password);
    }

    [Fact]
    public void Resolve_EmptyInlinePasswordAndFile_FileIsRead()
    {
        var env = Postgres();
        env["DJANGO_DB_PASSWORD"] = "";
        env["DJANGO_DB_PASSWORD_FILE"] = WriteFile("db-password", "file-secret\n");

        Assert.Equal("file-secret", new NpgsqlConnectionStringBuilder(TestEnvironment.Resolve(env).Database.ConnectionString).Password);
    }

    [Theory]
    [InlineData("  \n")]
    [InlineData(null)]
    public void Resolve_PasswordFileEmptyOrMissing_ThrowsNamingTheVariableWithoutContent(string? content)
    {
        var env = Postgres();
        env["DJANGO_DB_PASSWORD_FILE"] = content is null ? TempPath("missing") : WriteFile("db-password", content);

        var ex = TestEnvironment.ResolveFails(env);

        Assert.Equal("DJANGO_DB_PASSWORD_FILE", ex.VariableName);
    }

    [Fact]
    public void Resolve_LegacyPostgresWithoutSslMode_RequiresSslAsTheOriginal()
    {
        var builder = new NpgsqlConnectionStringBuilder(TestEnvironment.Resolve(Postgres()).Database.ConnectionString);

        Assert.Equal(SslMode.Require, builder.SslMode);
    }

    [Theory]
    [InlineData("disable", SslMode.Disable)]
    [InlineData("prefer", SslMode.Prefer)]
    [InlineData("require", SslMode.Require)]
    [InlineData("verify-ca", SslMode.VerifyCA)]
    [InlineData("verify-full", SslMode.VerifyFull)]
    public void Resolve_SslMode_MappedOntoTheConnectionString(string value, SslMode expected)
    {
        var env = Postgres();
        env["DJANGO_DB_SSLMODE"] = value;

        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(TestEnvironment.Resolve(env).Database.ConnectionString).SslMode);
    }

    [Fact]
    public void Resolve_UnknownSslMode_ThrowsNamingTheVariable()
    {
        var env = Postgres();
        env["DJANGO_DB_SSLMODE"] = "always";

        var ex = TestEnvironment.ResolveFails(env);

        Assert.Equal("DJANGO_DB_SSLMODE", ex.VariableName);
        Assert.Contains("expected disable, allow, prefer, require, verify-ca or verify-full", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_DatabaseUrlWithoutSslMode_KeepsTheDriverDefault()
    {
        var builder = new NpgsqlConnectionStringBuilder(TestEnvironment.Resolve(Environment(databaseUrl: "postgres://u:p@h/db")).Database.ConnectionString);

        Assert.Equal(SslMode.Prefer, builder.SslMode);
    }

    [Theory]
    [InlineData("DJANGO_DB_PASSWORD_FILE")]
    [InlineData("DJANGO_DB_SSLMODE")]
    public void Resolve_NewLegacyVariableWithoutEngine_ThrowsNamingEngine(string variable)
    {
        var env = Environment();
        env[variable] = "x";

        Assert.Equal("DJANGO_DB_ENGINE", TestEnvironment.ResolveFails(env).VariableName);
    }

    private Dictionary<string, string?> Postgres()
    {
        var env = Legacy("django.db.backends.postgresql");
        env["DJANGO_DB_NAME"] = "lx_annotate";
        env["DJANGO_DB_USER"] = "lx_annotate";
        return env;
    }

    private string WriteFile(string name, string content)
    {
        var path = TempPath(name);
        File.WriteAllText(path, content);
        return path;
    }
}
