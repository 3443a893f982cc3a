using LxAnnotate.Hub.Domain;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Data.Configurations;

/// <summary><c>endoscopy_processors</c>; the shipped <c>olympus_cv_1500</c> profile is seed data of the migration.</summary>
internal sealed class EndoscopyProcessorConfiguration : IEntityTypeConfiguration<EndoscopyProcessor>
{
    /// <summary>The Olympus CV-1500 layout at 1920×1080, as the original system ships it.</summary>
    public static readonly ProcessorRois OlympusCv1500Rois = new(
        EndoscopeImage: new(550, 0, 1350, 1080),
        ExaminationDate: new(0, 0, 390, 40),
        ExaminationTime: new(240, 7, 115, 35),
        PatientFirstName: new(80, 110, 440, 33),
        PatientLastName: new(70, 83, 450, 27),
        PatientDob: new(70, 180, 160, 50),
        EndoscopeType: new(70, 630, 280, 35),
        EndoscopeSn: new(70, 670, 280, 35));

    public void Configure(EntityTypeBuilder<EndoscopyProcessor> builder)
    {
        builder.ToTable("endoscopy_processors");
        builder.Property(p => p.Name).HasMaxLength(64);
        builder.HasIndex(p => p.Name).IsUnique();
        builder.Property(p => p.Rois).HasConversion(v => v.ToJson(), v => ProcessorRois.FromJson(v)).HasColumnType("text");
        builder.HasData(new EndoscopyProcessor
        {
            Id = 1,
            Name = EndoscopyProcessor.OlympusCv1500,
            ImageWidth = 1920,
            ImageHeight = 1080,
            Rois = OlympusCv1500Rois,
            CreatedAt = new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero),
        });
    }
}
