using System.Text;
using LxAnnotate.Node.Sidecars;

namespace LxAnnotate.Node.Tests.Sidecars;

/// <summary>
/// Sidecars and manifests are written as the original writes them, Python's
/// <c>json.dumps(value, ensure_ascii=True, indent=2, sort_keys=True)</c>. The expected text was produced by
/// /usr/bin/python3 (3.11) from the same value when this test was written:
/// <c>{"b": "Müller Äß", "a": ["x\ny\t\"q\"\\", "€", "😀", "\x01\x7f/&lt;&gt;&amp;'"], "c": {}, "d": [], "e": None, "f": True, "g": 42, "h": {"z": 1, "y": {"k": "v"}}}</c>.
/// </summary>
public sealed class SidecarJsonTests
{
    private const string PythonOutput =
        "{\n  \"a\": [\n    \"x\\ny\\t\\\"q\\\"\\\\\",\n    \"\\u20ac\",\n    \"\\ud83d\\ude00\",\n    \"\\u0001\\u007f/<>&'\"\n  ],\n" +
        "  \"b\": \"M\\u00fcller \\u00c4\\u00df\",\n  \"c\": {},\n  \"d\": [],\n  \"e\": null,\n  \"f\": true,\n  \"g\": 42,\n" +
        "  \"h\": {\n    \"y\": {\n      \"k\": \"v\"\n    },\n    \"z\": 1\n  }\n}";

    [Fact]
    public void Serialize_KeepingEmpty_IsPythonsEnsureAsciiOutputByteForByte()
    {
        var bytes = SidecarJson.Serialize(Value(), keepEmpty: true);

        Assert.Equal(PythonOutput, Encoding.ASCII.GetString(bytes));
        Assert.All(bytes, b => Assert.True(b < 0x80));
    }

    [Fact]
    public void Serialize_Sidecar_LeavesOutEmptyValues()
    {
        var text = Encoding.ASCII.GetString(SidecarJson.Serialize(Value()));

        Assert.DoesNotContain("\"c\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"d\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"e\"", text, StringComparison.Ordinal);
        Assert.Contains("\"b\": \"M\\u00fcller \\u00c4\\u00df\",", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-12-06T06:31:29.1234567Z", "2026-12-06T06:31:29.123456+00:00")]
    [InlineData("2026-12-06T06:31:29Z", "2026-12-06T06:31:29+00:00")]
    [InlineData("2026-12-06T07:31:29.5+01:00", "2026-12-06T06:31:29.500000+00:00")]
    public void IsoFormat_IsPythonsIsoformatOfAnAwareUtcTime(string at, string expected)
    {
        Assert.Equal(expected, SidecarJson.IsoFormat(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static SortedDictionary<string, object?> Value() => new(StringComparer.Ordinal)
    {
        ["b"] = "Müller Äß",
        ["a"] = new List<object?> { "x\ny\t\"q\"\\", "€", "😀", "\u0001\u007f/<>&'" },
        ["c"] = new SortedDictionary<string, object?>(StringComparer.Ordinal),
        ["d"] = new List<object?>(),
        ["e"] = null,
        ["f"] = true,
        ["g"] = 42,
        ["h"] = new SortedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["z"] = 1,
            ["y"] = new SortedDictionary<string, object?>(StringComparer.Ordinal) { ["k"] = "v" },
        },
    };
}
