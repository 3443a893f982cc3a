using LxAnnotate.Hub.Domain;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Data.Configurations;

/// <summary><c>audit_events</c>; the details are stored as JSON in <paramref name="jsonColumnType"/>, the provider's JSON type.</summary>
internal sealed class AuditEventConfiguration(string jsonColumnType) : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> audit)
    {
        audit.ToTable("audit_events");
        audit.Property(a => a.Actor).HasMaxLength(255);
        audit.Property(a => a.Action).HasMaxLength(64);
        audit.Property(a => a.Target).HasMaxLength(255);
        audit.Property(a => a.Details).HasColumnType(jsonColumnType);
        audit.HasIndex(a => a.OccurredAt).HasDatabaseName("ix_audit_events_occurred_at");
        audit.HasIndex(a => new { a.Target, a.OccurredAt }).HasDatabaseName("ix_audit_events_target_occurred_at");
    }
}
