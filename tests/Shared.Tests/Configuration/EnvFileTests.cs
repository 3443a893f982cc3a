using LxAnnotate.Shared.Configuration;
using LxAnnotate.Shared.Tests.Support;

namespace LxAnnotate.Shared.Tests.Configuration;

public sealed class EnvFileTests : IDisposable
{
    private const string Secret = "Zq7Xv-not-for-logs";

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static ConfigurationContractException ParseFails(string text)
    {
        var ex = Assert.Throws<ConfigurationContractException>(() => EnvFile.Parse(text));
        TestEnvironment.AssertOneLine(ex);
        Assert.DoesNotContain(Secret, ex.Message, StringComparison.Ordinal);
        return ex;
    }

    [Fact]
    public void Parse_SimpleAssignments_ReturnsValues()
    {
        var values = EnvFile.Parse("A=1\nB_2=two\n_C=three\n");

        Assert.Equal(3, values.Count);
        Assert.Equal("1", values["A"]);
        Assert.Equal("two", values["B_2"]);
        Assert.Equal("three", values["_C"]);
    }

    [Fact]
    public void Parse_ExportPrefix_Stripped()
    {
        var values = EnvFile.Parse("export A=1\nexport\tB=2\nexportC=3\n");

        Assert.Equal("1", values["A"]);
        Assert.Equal("2", values["B"]);
        Assert.Equal("3", values["exportC"]);
    }

    [Fact]
    public void Parse_BlankAndCommentLines_Ignored()
    {
        var values = EnvFile.Parse("\n   \n# A=1\n; B=2\n    # C=3\n\t; D=4\nE=5\n");

        Assert.Equal(["E"], values.Keys);
    }

    [Fact]
    public void Parse_WhitespaceAroundKeyAndUnquotedValue_Trimmed()
    {
        var values = EnvFile.Parse("   KEY   =   some value   \n");

        Assert.Equal("some value", values["KEY"]);
    }

    [Fact]
    public void Parse_UnquotedValueWithHash_KeptVerbatim()
    {
        var values = EnvFile.Parse("A=value # not a comment\nB=#hash\n");

        Assert.Equal("value # not a comment", values["A"]);
        Assert.Equal("#hash", values["B"]);
    }

    [Fact]
    public void Parse_UnquotedValueWithEqualsAndBackslash_KeptVerbatim()
    {
        var values = EnvFile.Parse("DATABASE_URL=postgres://u:p@h/db?sslmode=require\nW=C:\\temp\\n\n");

        Assert.Equal("postgres://u:p@h/db?sslmode=require", values["DATABASE_URL"]);
        Assert.Equal("C:\\temp\\n", values["W"]);
    }

    [Fact]
    public void Parse_EmptyValue_EmptyString()
    {
        var values = EnvFile.Parse("A=\nB=   \nC=''\nD=\"\"\n");

        Assert.All(values.Values, value => Assert.Equal("", value));
        Assert.Equal(4, values.Count);
    }

    [Fact]
    public void Parse_SingleQuotedValue_Literal()
    {
        var values = EnvFile.Parse("A='  $HOME \\n \"x\" \\\\ # kept  '\n");

        Assert.Equal("  $HOME \\n \"x\" \\\\ # kept  ", values["A"]);
    }

    [Fact]
    public void Parse_DoubleQuotedValue_EscapesApplied()
    {
        var values = EnvFile.Parse("A=\"q\\\"b\\\\s\\nn\\$d  \"\n");

        Assert.Equal("q\"b\\s\nn$d  ", values["A"]);
    }

    [Fact]
    public void Parse_DoubleQuotedUnknownEscape_KeptAsWritten()
    {
        var values = EnvFile.Parse("A=\"a\\tb\\x\"\n");

        Assert.Equal("a\\tb\\x", values["A"]);
    }

    [Fact]
    public void Parse_QuotedValueWithTrailingWhitespace_Accepted()
    {
        var values = EnvFile.Parse("A='x'   \nB=\"y\"\t\n");

        Assert.Equal("x", values["A"]);
        Assert.Equal("y", values["B"]);
    }

    [Fact]
    public void Parse_DuplicateKey_LaterWins()
    {
        var values = EnvFile.Parse("A=first\nB=b\nA=second\n");

        Assert.Equal("second", values["A"]);
    }

    [Fact]
    public void Parse_CrLfLineEndingsAndByteOrderMark_Handled()
    {
        var values = EnvFile.Parse("\uFEFFA=1\r\nB='two'\r\n# c\r\n");

        Assert.Equal("1", values["A"]);
        Assert.Equal("two", values["B"]);
    }

    [Fact]
    public void Parse_KeysAreCaseSensitive()
    {
        var values = EnvFile.Parse("a=lower\nA=upper\n");

        Assert.Equal("lower", values["a"]);
        Assert.Equal("upper", values["A"]);
    }

    [Fact]
    public void Parse_LineWithoutEquals_ThrowsWithLineNumber()
    {
        var ex = ParseFails($"A=1\n\n{Secret}\n");

        Assert.Contains("line 3: expected KEY=value", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1ABC")]
    [InlineData("MY-VAR")]
    [InlineData("A B")]
    [InlineData("")]
    [InlineData("export ")]
    [InlineData("KEY.NAME")]
    public void Parse_InvalidKey_ThrowsWithLineNumber(string key)
    {
        var ex = ParseFails($"# header\n{key}={Secret}\n");

        Assert.Contains("line 2: invalid variable name", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InvalidKeyHoldingSecret_KeyNotEchoed()
    {
        var ex = ParseFails($"{Secret}=x\n");

        Assert.Contains("line 1", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData($"PASSWORD='{Secret}", "single")]
    [InlineData($"PASSWORD=\"{Secret}", "double")]
    [InlineData($"PASSWORD=\"{Secret}\\\"", "double")]
    public void Parse_UnterminatedQuote_ThrowsNamingKeyAndLine(string line, string quote)
    {
        var ex = ParseFails($"A=1\n{line}\nB=2\n");

        Assert.Contains($"line 2: PASSWORD: unterminated {quote} quote", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData($"PASSWORD='{Secret}'x")]
    [InlineData($"PASSWORD=\"{Secret}\" # comment")]
    public void Parse_TextAfterClosingQuote_Throws(string line)
    {
        var ex = ParseFails(line);

        Assert.Contains("line 1: PASSWORD: unexpected text after the closing quote", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ValidFile_ReturnsValues()
    {
        string path = _temp.Combine("lxa.env");
        File.WriteAllText(path, "export ENDOREG_DEPLOYMENT_ROLE=site_node\nDJANGO_DB_PASSWORD='p w'\n");

        var values = EnvFile.Load(path);

        Assert.Equal("site_node", values["ENDOREG_DEPLOYMENT_ROLE"]);
        Assert.Equal("p w", values["DJANGO_DB_PASSWORD"]);
    }

    [Fact]
    public void Load_BadLine_ThrowsNamingFileAndLine()
    {
        string path = _temp.Combine("lxa.env");
        File.WriteAllText(path, $"A=1\nB='{Secret}\n");

        var ex = Assert.Throws<ConfigurationContractException>(() => EnvFile.Load(path));

        Assert.Equal(path, ex.VariableName);
        Assert.StartsWith($"{path}: line 2: ", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_ThrowsNamingFile()
    {
        string path = _temp.Combine("missing.env");

        var ex = Assert.Throws<ConfigurationContractException>(() => EnvFile.Load(path));

        Assert.Equal(path, ex.VariableName);
        Assert.Contains("not found", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FileFedToResolver_ResolvesSettings()
    {
        string root = _temp.Combine("data");
        string path = _temp.Combine("lxa.env");
        File.WriteAllText(path, $"""
            # /etc/lx-annotate/.env.systemd
            ENDOREG_DEPLOYMENT_ROLE=central_hub
            LX_ANNOTATE_ENCRYPTED_DATA_DIR={root}
            DATA_DIR="{root}/"
            DATABASE_URL='postgresql://lxa:{Uri.EscapeDataString(Secret)}@db/lxannotate?sslmode=verify-full'
            LX_ANNOTATE_DEFAULT_CENTER=uk-essen
            """);
        var values = EnvFile.Load(path);

        var settings = RuntimeSettingsResolver.Resolve(name => values.GetValueOrDefault(name));

        Assert.Equal(DeploymentRole.CentralHub, settings.Role);
        Assert.Equal(root, settings.Paths.Root);
        Assert.Equal(DatabaseProvider.PostgreSql, settings.Database.Provider);
        Assert.Equal("uk-essen", settings.DefaultCenterKey);
    }
}
