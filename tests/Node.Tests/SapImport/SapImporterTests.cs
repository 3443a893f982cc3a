using System.Security.Cryptography;
using System.Text.Json;
using LxAnnotate.Node.SapImport;
using LxAnnotate.Node.Sidecars;
using LxAnnotate.Node.Tests.Support;

namespace LxAnnotate.Node.Tests.SapImport;

public sealed class SapImporterTests
{
    [Theory]
    [InlineData("utf-8-sig", "\r\n")]
    [InlineData("utf-8", "\n")]
    [InlineData("windows-1252", "\r\n")]
    [InlineData("latin-1", "\n")]
    public void Run_EncodingsBomCrlfAndQuotedTabs_TextArrivesIntact(string encoding, string newline)
    {
        using var harness = new SapImportHarness();
        var tsv = SapArchives.TsvWith(newline, " PatientNr \tFallNr\tdateErstellzeit\tstrText\t\textra",
            "P1\tF1\t2024-05-17 09:30\t\"Befund:\tSchleimhaut \"\"glatt\"\"" + newline + "Größe 3 mm\"\t\tx\tbeyond header");
        SapArchives.Zip(harness.Zip, ("briefe.txt", SapArchives.Encode(tsv, encoding)));

        var report = harness.Run();

        var stem = "sap_ish_0001_briefe_p1_f1";
        Assert.Equal([stem + ".json", stem + ".txt"], harness.OutputNames());
        Assert.Equal("Befund:\tSchleimhaut \"glatt\"" + newline + "Größe 3 mm\n", harness.Carrier(stem));
        var sidecar = harness.Sidecar(stem);
        Assert.Equal("2024-05-17", sidecar.GetProperty("examination_date").GetString());
        Assert.Equal("09:30:00", sidecar.GetProperty("examination_time").GetString());
        var primary = sidecar.GetProperty("raw_columns").GetProperty("primary_row");
        Assert.Equal(2, primary.GetProperty("row_number").GetInt32());
        Assert.False(primary.GetProperty("raw_columns").TryGetProperty("extra", out _));
        var related = sidecar.GetProperty("raw_columns").GetProperty("related_rows_by_type").GetProperty("briefe")[0];
        Assert.Equal("x", related.GetProperty("unknown_columns").GetProperty("extra").GetString());
        Assert.Single(report.Conversion.MatchedTables);
    }

    [Fact]
    public void Run_BriefePatientenDiagnosen_OneBriefePairWithGenderAndRelatedRows()
    {
        using var harness = new SapImportHarness();
        SapArchives.Zip(harness.Zip,
            ("x/briefe.txt", SapArchives.Tsv(SapArchives.BriefeHeader, "1001\t2001\t17.05.2024 09:30:00\t  Arztbrief Text  ")),
            ("x/patienten.txt", SapArchives.Tsv(SapArchives.PatientenHeader, "1001\t54\tweiblich")),
            ("x/diagnosen.txt", SapArchives.Tsv(SapArchives.DiagnosenHeader, "1001\t2001\tK21.0\t2024-05-16\tja", "1001\t2001\tI10\t2024-05-16\tnein")));

        var report = harness.Run(centerKey: "center-a", centerName: "Klinik A");

        var pair = Assert.Single(report.Files);
        Assert.Equal("briefe", pair.DocumentType);
        var stem = "sap_ish_0001_briefe_1001_2001";
        Assert.Equal("Arztbrief Text\n", harness.Carrier(stem));
        var sidecar = harness.Sidecar(stem);
        Assert.Equal("female", sidecar.GetProperty("patient_gender").GetString());
        Assert.Equal("1001", sidecar.GetProperty("external_id").GetString());
        Assert.Equal("sap_ish:center-a", sidecar.GetProperty("external_id_origin").GetString());
        Assert.Equal("2001", sidecar.GetProperty("casenumber").GetString());
        Assert.Equal("center-a", sidecar.GetProperty("center_key").GetString());
        Assert.Equal("Klinik A", sidecar.GetProperty("center_name").GetString());
        Assert.Equal("Arztbrief Text", sidecar.GetProperty("text").GetString());
        Assert.Equal("Arztbrief Text", sidecar.GetProperty("anonymized_text").GetString());
        Assert.Equal("briefe", sidecar.GetProperty("source_document_type").GetString());
        var byType = sidecar.GetProperty("raw_columns").GetProperty("related_rows_by_type");
        Assert.Equal(2, byType.GetProperty("diagnosen").GetArrayLength());
        Assert.Equal(1, byType.GetProperty("patienten").GetArrayLength());
        Assert.Equal(3, byType.GetProperty("diagnosen")[1].GetProperty("row_number").GetInt32());
        Assert.Equal(["x/briefe.txt", "x/diagnosen.txt", "x/patienten.txt"],
            sidecar.GetProperty("raw_columns").GetProperty("source_files").EnumerateArray().Select(e => e.GetString()!));
    }

    [Fact]
    public void Run_NoTextRows_CaseSummaryFromLaborBewegungenPatienten()
    {
        using var harness = new SapImportHarness();
        SapArchives.Zip(harness.Zip,
            ("labor.txt", SapArchives.Tsv(SapArchives.LaborHeader, "2002\t3002\t2024-05-17 08:15:00\tHB\tHämoglobin\t12,5")),
            ("bewegungen.txt", SapArchives.Tsv(SapArchives.BewegungenHeader, "2002\t3002\t2024-05-16 07:00\tStation 3\tGastro\t12")),
            ("patienten.txt", SapArchives.Tsv(SapArchives.PatientenHeader, "2002\t61\tm")));

        harness.Run();

        var stem = "sap_ish_0001_labor_2002_3002";
        Assert.Equal(
            string.Join('\n',
                "Case summary generated from SAP IS-H tabular export",
                "PatientNr: 2002",
                "FallNr: 3002",
                "labor: 1 row(s)",
                "- 2024-05-17 08:15:00 | Hämoglobin | value=12,5",
                "bewegungen: 1 row(s)",
                "- 2024-05-16 07:00:00 | Station 3 | Gastro | room=12",
                "patienten: 1 row(s)") + "\n",
            harness.Carrier(stem));
        var sidecar = harness.Sidecar(stem);
        Assert.Equal("male", sidecar.GetProperty("patient_gender").GetString());
        Assert.Equal("labor", sidecar.GetProperty("source_document_type").GetString());
        Assert.Equal("2024-05-17", sidecar.GetProperty("examination_date").GetString());
        Assert.Equal(harness.Carrier(stem).TrimEnd('\n'), sidecar.GetProperty("anonymized_text").GetString());
    }

    [Fact]
    public void Run_PatientOnlyRowsAndRowsWithoutPatient_AnchorPairAndDropCounted()
    {
        using var harness = new SapImportHarness();
        SapArchives.Zip(harness.Zip,
            ("patienten.txt", SapArchives.Tsv(SapArchives.PatientenHeader, "3003\t40\tdivers", "\t41\tw", "\t\t")),
            ("meona.txt", SapArchives.Tsv("PatientNr\tid\ttradename\tpatient_id\tapply_date\tactual_dose\tunit_dose_name", "SAP-1\tm-7\tPantozol\t3003\t2024-05-18 10:00\t40\tmg")));

        var report = harness.Run();

        var pair = Assert.Single(report.Files);
        Assert.Equal("meona_medikamente", pair.DocumentType);
        Assert.Equal(1, report.Conversion.DroppedRows);
        var stem = "sap_ish_0001_meona_medikamente_3003_case_0001";
        var sidecar = harness.Sidecar(stem);
        Assert.Equal("3003", sidecar.GetProperty("external_id").GetString());
        Assert.Equal("m-7", sidecar.GetProperty("original_document_id").GetString());
        Assert.Equal("other", sidecar.GetProperty("patient_gender").GetString());
        Assert.False(sidecar.TryGetProperty("casenumber", out _));
        Assert.Contains("- 2024-05-18 10:00:00 | Pantozol | dose=40 | mg", harness.Carrier(stem), StringComparison.Ordinal);
        Assert.Contains("patienten: 1 row(s)", harness.Carrier(stem), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_SeveralCasesAndTextRows_NamedInCaseOrderWithFourDigitCounter()
    {
        using var harness = new SapImportHarness();
        SapArchives.Zip(harness.Zip,
            ("briefe.txt", SapArchives.Tsv(SapArchives.BriefeHeader,
                "B/7\tF 2\t2024-01-02\tzweiter",
                "A.1\tÄ-1\t2024-01-01\terster",
                "A.1\tÄ-1\t2024-01-03\tdritter",
                "A.1\tF9\t2024-01-04\t   ")),
            ("patienten.txt", SapArchives.Tsv(SapArchives.PatientenHeader, "_Z_\t1\tu")));

        var report = harness.Run();

        Assert.Equal(
            ["sap_ish_0001_briefe_a_1_f9", "sap_ish_0002_briefe_a_1_ä-1", "sap_ish_0003_briefe_a_1_ä-1", "sap_ish_0004_briefe_b_7_f_2", "sap_ish_0005_patienten_z_case_0005"],
            report.Files.Select(f => Path.GetFileNameWithoutExtension(f.Carrier)));
        // Cases sort by (PatientNr, FallNr) ordinally; within a case, text rows keep their order in the table.
        Assert.StartsWith("Case summary generated from SAP IS-H tabular export\nPatientNr: A.1\nFallNr: F9\n", harness.Carrier("sap_ish_0001_briefe_a_1_f9"), StringComparison.Ordinal);
        Assert.Equal("erster\n", harness.Carrier("sap_ish_0002_briefe_a_1_ä-1"));
        Assert.Equal("dritter\n", harness.Carrier("sap_ish_0003_briefe_a_1_ä-1"));
    }

    [Fact]
    public void Run_Sidecar_SortedTwoSpaceIndentedNoEmptyValuesAndCarrierHash()
    {
        using var harness = new SapImportHarness();
        SapArchives.Zip(harness.Zip, ("briefe.txt", SapArchives.Tsv(SapArchives.BriefeHeader, "1\t\t\tText")));

        harness.Run();

        var stem = "sap_ish_0001_briefe_1_case_0001";
        var raw = File.ReadAllText(Path.Combine(harness.Paths.PreanonymizedImport, stem + ".json"));
        Assert.StartsWith("{\n  \"anonymized_text\": \"Text\",\n", raw, StringComparison.Ordinal);
        var keys = harness.Sidecar(stem).EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
        Assert.DoesNotContain("casenumber", keys);
        Assert.DoesNotContain("center_key", keys);
        Assert.DoesNotContain("examination_date", keys);
        Assert.DoesNotContain("null", raw, StringComparison.Ordinal);
        var carrier = File.ReadAllBytes(Path.Combine(harness.Paths.PreanonymizedImport, stem + ".txt"));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(carrier)), harness.Sidecar(stem).GetProperty("file_sha256").GetString());
    }

    [Fact]
    public void Run_GeneratedSidecar_PassesTheWatcherSchemaWithProvenanceHints()
    {
        using var harness = new SapImportHarness();
        SapArchives.Zip(harness.Zip,
            ("briefe.txt", SapArchives.Tsv(SapArchives.BriefeHeader, "1001\t2001\t2024-05-17 09:30\tText")),
            ("patienten.txt", SapArchives.Tsv(SapArchives.PatientenHeader, "1001\t54\tw")));
        harness.Run(centerKey: "center-a", centerName: "Klinik A");

        var json = File.ReadAllBytes(Path.Combine(harness.Paths.PreanonymizedImport, "sap_ish_0001_briefe_1001_2001.json"));

        Assert.True(PreanonymizedSidecar.TryParse(json, out var sidecar, out var problem), problem);
        Assert.Equal("center-a", sidecar!.CenterKey);
        Assert.Equal("sap_ish", sidecar.SourceSystem);
        Assert.Equal("1001", sidecar.ProvenanceHints["sidecar.external_id"]);
        Assert.Equal("2001", sidecar.ProvenanceHints["sidecar.casenumber"]);
        Assert.Equal("female", sidecar.ProvenanceHints["sidecar.patient_gender"]);
        Assert.Equal("Klinik A", sidecar.ProvenanceHints["sidecar.center_name"]);
        Assert.False(sidecar.ProvenanceHints.ContainsKey("sidecar.text"));
    }

    [Fact]
    public void Run_FailureInTheMiddle_NoPairAppearsAndStagingRemoved()
    {
        using var harness = new SapImportHarness();
        SapArchives.Zip(harness.Zip,
            ("a_briefe.txt", SapArchives.Tsv(SapArchives.BriefeHeader, "1\t1\t2024-01-01\tText")),
            ("b_labor.txt", SapArchives.Tsv(SapArchives.LaborHeader, "1\t1\t2024-01-01\tHB\tHb\t\"12")),
            ("c_briefe.txt", SapArchives.Tsv(SapArchives.BriefeHeader, "2\t2\t2024-01-01\tText")));

        var ex = harness.Refused();

        Assert.Contains("table 'b_labor.txt'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("not closed", ex.Message, StringComparison.Ordinal);
        Assert.Empty(harness.OutputNames());
        Assert.True(harness.StagingEmpty);
        Assert.False(Directory.Exists(harness.Importer.DefaultManifestDir) && Directory.EnumerateFiles(harness.Importer.DefaultManifestDir).Any());
    }

    [Fact]
    public void Run_AmbiguousAndUnknownTables_SkippedWithReasonOthersConverted()
    {
        using var harness = new SapImportHarness();
        SapArchives.Zip(harness.Zip,
            ("briefe.txt", SapArchives.Tsv(SapArchives.BriefeHeader, "1\t1\t2024-01-01\tText")),
            ("mixed.txt", SapArchives.Tsv("PatientNr\tFallNr\tdateErstellzeit\tstrText\tOPCode\tBeginnzeit", "1\t1\t2024-01-01\tx\ty\t2024-01-01")),
            ("other.txt", SapArchives.Tsv("Foo\tBar", "1\t2")),
            ("empty.txt", SapArchives.Tsv(SapArchives.BriefeHeader)));

        var report = harness.Run();

        Assert.Equal(["briefe.txt"], report.Conversion.MatchedTables);
        Assert.Collection(report.Conversion.SkippedTables,
            s => Assert.Equal(("empty.txt", "the table has no data rows"), (s.EntryName, s.Reason)),
            s => Assert.Contains("ambiguous", s.Reason, StringComparison.Ordinal),
            s => Assert.Contains("no known table template", s.Reason, StringComparison.Ordinal));
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(report.ManifestPath!));
        var root = manifest.RootElement;
        Assert.Equal("import_sap_ish_zip", root.GetProperty("command").GetString());
        Assert.Equal(harness.Zip, root.GetProperty("zip_path").GetString());
        // The original's shapes: skipped files as names, generated files with carrier_path/sidecar_path; our reasons beside.
        Assert.Equal(3, root.GetProperty("skipped_source_files").GetArrayLength());
        Assert.Equal("mixed.txt", root.GetProperty("skipped_source_files")[1].GetString());
        Assert.Equal("mixed.txt", root.GetProperty("skipped_source_reasons")[1].GetProperty("file").GetString());
        Assert.Contains("ambiguous", root.GetProperty("skipped_source_reasons")[1].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(report.Files[0].Carrier, root.GetProperty("generated_files")[0].GetProperty("carrier_path").GetString());
        Assert.Equal(report.Files[0].Sidecar, root.GetProperty("generated_files")[0].GetProperty("sidecar_path").GetString());
        Assert.StartsWith(harness.Importer.DefaultManifestDir, report.ManifestPath, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_NoSupportedTable_Refused()
    {
        using var harness = new SapImportHarness();
        SapArchives.Zip(harness.Zip, ("other.txt", SapArchives.Tsv("Foo\tBar", "1\t2")));

        Assert.Contains("no supported SAP IS-H table", harness.Refused().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_OutputExistsAlready_NeverOverwrittenButSuffixed()
    {
        using var harness = new SapImportHarness();
        SapArchives.Zip(harness.Zip, ("briefe.txt", SapArchives.Tsv(SapArchives.BriefeHeader, "1\t1\t2024-01-01\tText")));
        harness.Run();
        var first = harness.Sidecar("sap_ish_0001_briefe_1_1").GetRawText();

        var second = harness.Run();

        Assert.Equal("sap_ish_0001_briefe_1_1.2.txt", Path.GetFileName(second.Files[0].Carrier));
        Assert.Equal(first, harness.Sidecar("sap_ish_0001_briefe_1_1").GetRawText());
        Assert.Equal(4, harness.OutputNames().Length);
    }

    [Fact]
    public void Run_OutputOrManifestOutsideDataRoot_Refused()
    {
        using var harness = new SapImportHarness();
        SapArchives.Zip(harness.Zip, ("briefe.txt", SapArchives.Tsv(SapArchives.BriefeHeader, "1\t1\t2024-01-01\tText")));
        var outside = Directory.CreateTempSubdirectory("lxa-outside-").FullName;
        try
        {
            var ex = Assert.Throws<SapImportException>(() => harness.Run(outputDir: outside));
            Assert.Contains("outside the data root", ex.Message, StringComparison.Ordinal);

            Directory.CreateSymbolicLink(Path.Combine(harness.Paths.Root, "sneaky"), outside);
            ex = Assert.Throws<SapImportException>(() => harness.Run(outputDir: Path.Combine(harness.Paths.Root, "sneaky", "out")));
            Assert.Contains("outside the data root", ex.Message, StringComparison.Ordinal);

            ex = Assert.Throws<SapImportException>(() => harness.Importer.Run(
                new SapImportRequest(harness.Zip, null, "sap_ish", null, null, Path.Combine(outside, "m.json"), false), CancellationToken.None));
            Assert.Contains("--manifest-path", ex.Message, StringComparison.Ordinal);
            Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public void Run_ManifestCannotBeWritten_MovedPairsRemovedAgain()
    {
        using var harness = new SapImportHarness();
        SapArchives.Zip(harness.Zip, ("briefe.txt", SapArchives.Tsv(SapArchives.BriefeHeader, "1\t1\t2024-01-01\tText", "2\t2\t2024-01-01\tText")));
        var taken = Directory.CreateDirectory(Path.Combine(harness.Paths.Root, "manifest-is-a-folder")).FullName;

        var ex = Assert.Throws<SapImportException>(() => harness.Importer.Run(
            new SapImportRequest(harness.Zip, null, "sap_ish", null, null, taken, false), CancellationToken.None));

        Assert.Contains("writing the manifest failed", ex.Message, StringComparison.Ordinal);
        Assert.Empty(harness.OutputNames());
        Assert.True(harness.StagingEmpty);
    }

    [Fact]
    public void Run_DryRun_ReportsButWritesNothing()
    {
        using var harness = new SapImportHarness();
        SapArchives.Zip(harness.Zip, ("briefe.txt", SapArchives.Tsv(SapArchives.BriefeHeader, "1\t1\t2024-01-01\tText")));

        var report = harness.Run(dryRun: true);

        Assert.Single(report.Files);
        Assert.Null(report.ManifestPath);
        Assert.Empty(harness.OutputNames());
        Assert.True(harness.StagingEmpty);
    }

    [Fact]
    public void Run_Pairs_ReadableByServiceGroupOnly()
    {
        using var harness = new SapImportHarness();
        SapArchives.Zip(harness.Zip, ("briefe.txt", SapArchives.Tsv(SapArchives.BriefeHeader, "1\t1\t2024-01-01\tText")));

        var report = harness.Run();

        Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(report.Files[0].Carrier) & (UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute));
        Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(report.Files[0].Sidecar) & (UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute));
    }
}
