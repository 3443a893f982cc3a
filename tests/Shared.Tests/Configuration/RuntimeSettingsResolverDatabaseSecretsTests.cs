using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Tests.Support;

namespace LxAnnotate.Shared.Tests.Configuration;

/// <summary>The database password reaches the connection string only: never an error message, description or <c>ToString</c>.</summary>
public sealed class RuntimeSettingsResolverDatabaseSecretsTests : RuntimeSettingsResolverDatabaseTestBase
{
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
}
