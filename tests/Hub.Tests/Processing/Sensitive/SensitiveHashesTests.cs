using System.Globalization;
using LxAnnotate.Hub.Processing.Sensitive;
using LxAnnotate.TestSupport;

namespace LxAnnotate.Hub.Tests.Processing.Sensitive;

/// <summary>
/// The hashes must equal the original system's, so the vectors come from an independent implementation of
/// the formula: Debian's Python <c>hashlib</c>, run by the test.
/// </summary>
public sealed class SensitiveHashesTests
{
    private const string Salt = "s3cr3t-Salz_42";

    // The formula as the original states it, written separately from the C# code. The patient and examination
    // hashes see a missing name as "unknown" (the original's perform_save_logic stores that before hashing);
    // the raw formula (the third value) takes the names as they are.
    private const string PythonFormula = """
        import hashlib, json, sys
        def h(first, last, dob, center, exam, sn, salt):
            norm = lambda d: "" if d in (None, "", "1900-01-01") else d
            inner = f"{first}{last}{norm(dob)}{center}{norm(dob)}{norm(exam)}{sn}{salt}"
            return hashlib.sha256(hashlib.sha256(inner.encode("utf-8")).hexdigest().encode("utf-8")).hexdigest()
        p = lambda name: name or "unknown"
        out = []
        for c in json.load(sys.stdin):
            out.append([h(p(c[0]), p(c[1]), c[2], c[3], "", "", c[5]), h(p(c[0]), p(c[1]), c[2], c[3], c[4], "", c[5]), h(c[0], c[1], c[2], c[3], c[4], c[6], c[5])])
        print(json.dumps(out))
        """;

    public static TheoryData<string, string, string?, string, string?, string> Cases => new()
    {
        { "Jürgen", "Müller-Lüdenscheidt", "1956-03-07", "Universitätsklinikum Würzburg", "2024-11-02", "2901234" },
        { "Anna", "Schmidt", "2001-12-31", "Center A", "2023-01-05", "" },
        { "", "", null, "Center A", null, "SN1" },
        { "Élodie", "O'Neil", "1900-01-01", "Klinik Süd", "1900-01-01", "A-17" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Hashes_FixedInputs_EqualPythonHashlib(string first, string last, string? dob, string center, string? exam, string sn)
    {
        var input = System.Text.Json.JsonSerializer.Serialize(new object?[][] { [first, last, dob, center, exam, Salt, sn] });
        var expected = await RunPythonAsync(input);

        var dobDate = dob is null ? (DateOnly?)null : DateOnly.ParseExact(dob, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var examDate = exam is null ? (DateOnly?)null : DateOnly.ParseExact(exam, "yyyy-MM-dd", CultureInfo.InvariantCulture);

        Assert.Equal(expected[0][0], SensitiveHashes.PatientHash(first, last, dobDate, center, Salt));
        Assert.Equal(expected[0][1], SensitiveHashes.ExaminationHash(first, last, dobDate, center, examDate, Salt));
        Assert.Equal(expected[0][2], SensitiveHashes.Hash(first, last, dobDate, center, examDate, sn, Salt));
    }

    /// <summary>
    /// Fixed vectors, written down when this test was written by running the original's own algorithm with
    /// /usr/bin/python3: endoreg-db <c>utils/hashs.get_patient_hash</c> (SHA-256 hex of
    /// first+last+dob+center_name+dob+exam+serial+salt) hashed again by <c>sensitive_meta_logic.calculate_patient_hash</c>
    /// (SHA-256 hex of that hex), with <c>center.name</c> as the center and "unknown" for a missing name. Salt
    /// "test-salt-1", center name "Universitätsklinikum Würzburg".
    /// </summary>
    [Theory]
    [InlineData("Jürgen", "Müller", "1956-03-07", "2024-11-02",
        "fa43c6054f5cb42757afc31375774449460260fa2f593cac23e9e5b6486d644f", "0a2bcee796f469643d1af5e362ab158f0bfbce9191e640174906d854177a64fe")]
    [InlineData("Anna", null, "2001-12-31", "2023-01-05",
        "a5439dde7bfa1a1a1b49f29a03dc5c7aa75d618cf2a6557b1c859acabe8c3221", "dabcfa3d5d073bda763c67615d71e70474f8b7b9077a9d14181346f1ddcfa3fb")]
    public void Hashes_OriginalsVectors_Equal(string first, string? last, string dob, string exam, string patientHash, string examinationHash)
    {
        var dobDate = DateOnly.ParseExact(dob, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var examDate = DateOnly.ParseExact(exam, "yyyy-MM-dd", CultureInfo.InvariantCulture);

        Assert.Equal(patientHash, SensitiveHashes.PatientHash(first, last, dobDate, "Universitätsklinikum Würzburg", "test-salt-1"));
        Assert.Equal(examinationHash, SensitiveHashes.ExaminationHash(first, last, dobDate, "Universitätsklinikum Würzburg", examDate, "test-salt-1"));
    }

    [Fact]
    public void PatientHash_DifferentExaminationDates_Same()
    {
        var a = SensitiveHashes.ExaminationHash("A", "B", new DateOnly(1970, 1, 1), "C", new DateOnly(2024, 1, 1), Salt);
        var b = SensitiveHashes.ExaminationHash("A", "B", new DateOnly(1970, 1, 1), "C", new DateOnly(2024, 1, 2), Salt);

        Assert.NotEqual(a, b);
        Assert.Equal(SensitiveHashes.PatientHash("A", "B", new DateOnly(1970, 1, 1), "C", Salt), SensitiveHashes.PatientHash("A", "B", new DateOnly(1970, 1, 1), "C", Salt));
        Assert.Matches("^[0-9a-f]{64}$", a);
    }

    private static async Task<string[][]> RunPythonAsync(string input)
    {
        using var dir = new TempDirectory();
        var script = Path.Combine(dir.Path, "hashes.py");
        var inputFile = Path.Combine(dir.Path, "input.json");
        await File.WriteAllTextAsync(script, PythonFormula);
        await File.WriteAllTextAsync(inputFile, input);
        var result = await ProcessRunner.RunAsync("/bin/sh", ["-c", "/usr/bin/python3 \"$0\" < \"$1\"", script, inputFile],
            new Dictionary<string, string?>(), TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0, result.StandardError);
        return System.Text.Json.JsonSerializer.Deserialize<string[][]>(result.StandardOutput)!;
    }
}
