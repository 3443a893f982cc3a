using LxAnnotate.Hub.Domain;

namespace LxAnnotate.Hub.Tests.Domain;

public sealed class UploadJobTransitionsTests
{
    // Written out by hand, apart from the production table, so a change to either shows up here.
    private static readonly HashSet<(string From, string To)> Expected =
    [
        ("pending", "processing"), ("pending", "error"), ("pending", "lost"),
        ("processing", "anonymized"), ("processing", "retrying"), ("processing", "error"), ("processing", "lost"),
        ("retrying", "processing"), ("retrying", "error"), ("retrying", "lost"),
        ("error", "retrying"),
        ("lost", "retrying"),
    ];

    public static TheoryData<UploadJobStatus, UploadJobStatus> AllPairs()
    {
        var data = new TheoryData<UploadJobStatus, UploadJobStatus>();
        foreach (var from in Enum.GetValues<UploadJobStatus>())
        {
            foreach (var to in Enum.GetValues<UploadJobStatus>())
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void IsAllowed_EveryStatusPair_MatchesTheTable(UploadJobStatus from, UploadJobStatus to)
    {
        var expected = Expected.Contains((from.ToWire(), to.ToWire()));

        Assert.Equal(expected, UploadJobTransitions.IsAllowed(from, to));
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void TransitionTo_EveryStatusPair_ChangesStatusOnlyWhenAllowed(UploadJobStatus from, UploadJobStatus to)
    {
        var job = JobIn(from);
        var allowed = Expected.Contains((from.ToWire(), to.ToWire()));

        if (allowed)
        {
            job.TransitionTo(to, DateTimeOffset.UnixEpoch, UploadJobErrorCode.ProcessingFailed, "detail");
            Assert.Equal(to, job.Status);
        }
        else
        {
            var ex = Assert.Throws<InvalidStatusTransitionException>(() => job.TransitionTo(to, DateTimeOffset.UnixEpoch, UploadJobErrorCode.ProcessingFailed));
            Assert.Equal(from, job.Status);
            Assert.Contains($"'{from.ToWire()}' to '{to.ToWire()}'", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TransitionTo_ErrorWithoutCode_Throws()
    {
        var job = JobIn(UploadJobStatus.Processing);

        Assert.Throws<ArgumentException>(() => job.TransitionTo(UploadJobStatus.Error, DateTimeOffset.UnixEpoch));
        Assert.Equal(UploadJobStatus.Processing, job.Status);
    }

    [Fact]
    public void TransitionTo_BackToProcessing_ClearsErrorFields()
    {
        var job = JobIn(UploadJobStatus.Retrying);

        job.TransitionTo(UploadJobStatus.Processing, DateTimeOffset.UnixEpoch);

        Assert.Null(job.ErrorCode);
        Assert.Null(job.ErrorDetail);
    }

    [Fact]
    public void WireNames_StatusesAndErrorCodes_AreTheOriginalNames()
    {
        Assert.Equal(["pending", "processing", "retrying", "anonymized", "error", "lost"], Enum.GetValues<UploadJobStatus>().Select(s => s.ToWire()));
        Assert.Equal(
            ["dispatch_unavailable", "duplicate_content", "invalid_configuration", "invalid_input", "media_integrity_failed", "processing_failed", "source_missing"],
            Enum.GetValues<UploadJobErrorCode>().Select(c => c.ToWire()));
        Assert.Equal(["api", "watcher", "transfer"], Enum.GetValues<IngestMode>().Select(m => m.ToWire()));
        foreach (var status in Enum.GetValues<UploadJobStatus>())
        {
            Assert.Equal(status, WireNames.ParseStatus(status.ToWire()));
        }

        Assert.Throws<FormatException>(() => WireNames.ParseStatus("done"));
    }

    /// <summary>Walks the job along allowed transitions to reach <paramref name="status"/>.</summary>
    private static UploadJob JobIn(UploadJobStatus status)
    {
        var job = new UploadJob
        {
            SourceSystem = "test",
            ContentType = "video/mp4",
            ContentHash = new string('a', 64),
            StoragePath = "centers/c/aa/x.mp4",
            StorageEncoding = "managed",
            StorageClass = "ingest",
            StorageTier = "standard",
            RetentionPolicy = "clinical_default",
            ProcessingProvenance = new ProcessingProvenance
            {
                Entrypoint = "test", IngestMode = "api", SourceSystem = "test", ContentHash = new string('a', 64),
                SourceCenterKey = "c", StorageClass = "managed", StorageTier = "standard", RetentionPolicy = "clinical_default",
            },
        };
        UploadJobStatus[] path = status switch
        {
            UploadJobStatus.Pending => [],
            UploadJobStatus.Processing => [UploadJobStatus.Processing],
            UploadJobStatus.Retrying => [UploadJobStatus.Processing, UploadJobStatus.Retrying],
            UploadJobStatus.Anonymized => [UploadJobStatus.Processing, UploadJobStatus.Anonymized],
            UploadJobStatus.Error => [UploadJobStatus.Error],
            UploadJobStatus.Lost => [UploadJobStatus.Lost],
            _ => throw new ArgumentOutOfRangeException(nameof(status)),
        };
        foreach (var step in path)
        {
            job.TransitionTo(step, DateTimeOffset.UnixEpoch, UploadJobErrorCode.ProcessingFailed);
        }

        return job;
    }
}
