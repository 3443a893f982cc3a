using LxAnnotate.Hub.Processing.Sensitive;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.TestSupport;

namespace LxAnnotate.Hub.Tests.Processing.Sensitive;

public sealed class DjangoSaltTests
{
    [Fact]
    public void Resolve_Variable_ReturnsIt() =>
        Assert.Equal("abc123", DjangoSalt.Resolve(Env(("DJANGO_SALT", "abc123"))));

    [Fact]
    public void Resolve_FileWithTrailingNewline_ReturnsLine()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "salt");
        File.WriteAllText(file, "from-file\n");

        Assert.Equal("from-file", DjangoSalt.Resolve(Env(("DJANGO_SALT_FILE", file))));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("default_salt")]
    [InlineData("two words")]
    [InlineData("line\nbreak")]
    [InlineData(" leading")]
    [InlineData("tab\there")]
    public void Resolve_BadValue_OneLineErrorWithoutTheValue(string? value)
    {
        var ex = Assert.Throws<ConfigurationContractException>(() => DjangoSalt.Resolve(Env(("DJANGO_SALT", value))));

        Assert.Equal("DJANGO_SALT", ex.VariableName);
        Assert.DoesNotContain('\n', ex.Message);
        if (!string.IsNullOrEmpty(value) && value != "default_salt")
        {
            Assert.DoesNotContain(value, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Resolve_FileWithTwoLines_Refused()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "salt");
        File.WriteAllText(file, "first\nsecond\n");

        var ex = Assert.Throws<ConfigurationContractException>(() => DjangoSalt.Resolve(Env(("DJANGO_SALT_FILE", file))));

        Assert.Equal("DJANGO_SALT_FILE", ex.VariableName);
        Assert.DoesNotContain("first", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_BothSet_Refused() =>
        Assert.Throws<ConfigurationContractException>(() => DjangoSalt.Resolve(Env(("DJANGO_SALT", "a"), ("DJANGO_SALT_FILE", "/nonexistent"))));

    [Fact]
    public void Resolve_MissingFile_Refused() =>
        Assert.Contains("cannot read", Assert.Throws<ConfigurationContractException>(() => DjangoSalt.Resolve(Env(("DJANGO_SALT_FILE", "/nonexistent/salt")))).Message, StringComparison.Ordinal);

    private static Func<string, string?> Env(params (string Key, string? Value)[] values) =>
        key => values.FirstOrDefault(v => v.Key == key).Value;
}
