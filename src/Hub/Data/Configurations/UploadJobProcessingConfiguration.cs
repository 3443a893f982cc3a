using LxAnnotate.Hub.Domain;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Data.Configurations;

/// <summary>The processing columns of <c>upload_jobs</c>: lease token, probe result, masked-video hash.</summary>
internal static class UploadJobProcessingConfiguration
{
    public static void Configure(EntityTypeBuilder<UploadJob> job)
    {
        job.Property(j => j.MediaInfo)
            .HasConversion(v => v == null ? null : v.ToJson(), v => v == null ? null : VideoMediaInfo.FromJson(v))
            .HasColumnType("text");
        job.Property(j => j.ProcessedVideoHash).HasMaxLength(64);
    }
}
