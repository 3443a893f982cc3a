using LxAnnotate.Hub.PythonImport;

namespace LxAnnotate.Hub.Tests.PythonImport;

public sealed class ImportedRowsTests
{
    [Fact]
    public void TooLong_ValueWiderThanOurColumn_NamesTheColumn()
    {
        var plan = Plan(storageTier: new string('t', 40));

        Assert.Equal("its storage_tier is longer than 32 characters", ImportedRows.TooLong(plan));
    }

    [Fact]
    public void TooLong_OriginalDefaults_Fit()
    {
        Assert.Null(ImportedRows.TooLong(Plan(storageTier: "upload_preanonymized")));
    }

    private static PlannedJob Plan(string storageTier) => new(
        new SourceUploadJob(Guid.NewGuid(), "uploads/a.pdf", "pending", "application/pdf", "", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch,
            null, 1, "api", "", "key-1", "api", "a.pdf", null, "ingest", storageTier, "preserve_source"),
        1,
        null,
        "application/pdf",
        null,
        null);
}
