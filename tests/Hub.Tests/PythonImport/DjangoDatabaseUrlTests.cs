using LxAnnotate.Hub.PythonImport;
using Npgsql;

namespace LxAnnotate.Hub.Tests.PythonImport;

public sealed class DjangoDatabaseUrlTests
{
    [Fact]
    public void ToConnectionString_FullUrl_ReadsEveryPart()
    {
        var builder = new NpgsqlConnectionStringBuilder(DjangoDatabaseUrl.ToConnectionString("postgresql://endoreg%40site:s%3Acret@db.example:6543/endoreg_db?sslmode=require"));

        Assert.Equal("db.example", builder.Host);
        Assert.Equal(6543, builder.Port);
        Assert.Equal("endoreg_db", builder.Database);
        Assert.Equal("endoreg@site", builder.Username);
        Assert.Equal("s:cret", builder.Password);
        Assert.Equal(SslMode.Require, builder.SslMode);
    }

    [Fact]
    public void ToConnectionString_NoPort_UsesTheDefault()
    {
        Assert.Equal(5432, new NpgsqlConnectionStringBuilder(DjangoDatabaseUrl.ToConnectionString("postgres://u@localhost/db")).Port);
    }

    [Theory]
    [InlineData("mysql://u:secretpw@h/db")]
    [InlineData("postgres://u:secretpw@h")]
    [InlineData("not a url secretpw")]
    public void ToConnectionString_NotAPostgresUrl_RefusedWithoutQuotingIt(string url)
    {
        var ex = Assert.Throws<PythonImportException>(() => DjangoDatabaseUrl.ToConnectionString(url));

        Assert.DoesNotContain("secretpw", ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("--django-database-url:", ex.Message, StringComparison.Ordinal);
    }
}
