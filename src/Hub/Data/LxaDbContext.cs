using LxAnnotate.Hub.Domain;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Data;

/// <summary>
/// The one model of the hub and standalone database. Each provider has its own subclass only so that
/// each keeps its own committed migrations; the model itself is defined here once.
/// </summary>
public abstract class LxaDbContext(DbContextOptions options) : DbContext(options)
{
    /// <summary>Predicate of the partial unique indexes: failed jobs never block a new upload.</summary>
    internal const string ActiveJobFilter = "status NOT IN ('error', 'lost')";

    public DbSet<Center> Centers => Set<Center>();

    public DbSet<NetworkNode> NetworkNodes => Set<NetworkNode>();

    public DbSet<NodeCertificate> NodeCertificates => Set<NodeCertificate>();

    public DbSet<UploadJob> UploadJobs => Set<UploadJob>();

    public DbSet<TransferSession> Transfers => Set<TransferSession>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<EnrollmentToken> EnrollmentTokens => Set<EnrollmentToken>();

    public DbSet<HubTransferJob> HubTransferJobs => Set<HubTransferJob>();

    public DbSet<EndoscopyProcessor> EndoscopyProcessors => Set<EndoscopyProcessor>();

    public DbSet<CenterProcessor> CenterProcessors => Set<CenterProcessor>();

    public DbSet<SensitiveMeta> SensitiveMetas => Set<SensitiveMeta>();

    public DbSet<ProcessedArtifact> ProcessedArtifacts => Set<ProcessedArtifact>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        modelBuilder.ApplyConfiguration(new HubTransferJobConfiguration());

        modelBuilder.Entity<Center>(center =>
        {
            center.ToTable("centers");
            center.Property(c => c.CenterKey).HasMaxLength(64);
            center.Property(c => c.Name).HasMaxLength(255);
            center.Property(c => c.DisplayName).HasMaxLength(255);
            center.HasIndex(c => c.CenterKey).IsUnique();
        });

        modelBuilder.Entity<NetworkNode>(node =>
        {
            node.ToTable("network_nodes");
            node.Property(n => n.NodeKey).HasMaxLength(64);
            node.Property(n => n.DisplayName).HasMaxLength(255);
            node.Property(n => n.Role).HasMaxLength(32);
            node.Property(n => n.SecretHash).HasMaxLength(256);
            node.HasIndex(n => n.NodeKey).IsUnique();
            node.HasOne(n => n.OwningCenter).WithMany().HasForeignKey(n => n.OwningCenterId).OnDelete(DeleteBehavior.Restrict);
            node.HasMany(n => n.Certificates).WithOne(c => c.Node).HasForeignKey(c => c.NodeId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<NodeCertificate>(cert =>
        {
            cert.ToTable("network_node_certificates");
            cert.Property(c => c.ThumbprintSha256).HasMaxLength(64);
            cert.Property(c => c.SerialNumber).HasMaxLength(128);
            cert.Property(c => c.Subject).HasMaxLength(1024);
            cert.Property(c => c.RevocationReason).HasMaxLength(1024);
            cert.Property(c => c.Status).HasConversion(
                    v => v.ToWire(),
                    v => WireNames.ParseCertificateStatus(v))
                .HasMaxLength(16);
            cert.HasIndex(c => c.ThumbprintSha256).IsUnique();
        });

        modelBuilder.Entity<UploadJob>(job =>
        {
            job.ToTable("upload_jobs");
            job.Property(j => j.Id).ValueGeneratedNever();
            job.Property(j => j.Status).HasConversion(v => v.ToWire(), v => WireNames.ParseStatus(v)).HasMaxLength(32);
            job.Property(j => j.ErrorCode)
                .HasConversion(new ValueConverter<UploadJobErrorCode, string>(v => v.ToWire(), v => WireNames.ParseErrorCode(v)))
                .HasMaxLength(64);
            job.Property(j => j.IngestMode).HasConversion(v => v.ToWire(), v => WireNames.ParseIngestMode(v)).HasMaxLength(16);
            job.Property(j => j.SourceSystem).HasMaxLength(128);
            job.Property(j => j.ContentType).HasMaxLength(128);
            job.Property(j => j.ContentHash).HasMaxLength(64).IsFixedLength(false);
            job.Property(j => j.IdempotencyKey).HasMaxLength(255);
            job.Property(j => j.OriginalFilename).HasMaxLength(1024);
            job.Property(j => j.StoragePath).HasMaxLength(1024);
            job.Property(j => j.StorageClass).HasMaxLength(32);
            job.Property(j => j.StorageTier).HasMaxLength(32);
            job.Property(j => j.RetentionPolicy).HasMaxLength(64);
            job.Property(j => j.ProcessingLeaseOwner).HasMaxLength(255);
            var provenance = job.Property(j => j.ProcessingProvenance)
                .HasConversion(v => v.ToJson(), v => ProcessingProvenance.FromJson(v));
            ConfigureJsonColumn(provenance);

            job.HasOne(j => j.SourceCenter).WithMany().HasForeignKey(j => j.SourceCenterId).OnDelete(DeleteBehavior.Restrict);

            // Dedup is enforced by the database, not only by code (ARCHITECTURE §5), and scoped to one center.
            job.HasIndex(j => new { j.SourceCenterId, j.ContentType, j.ContentHash })
                .IsUnique()
                .HasFilter(ActiveJobFilter)
                .HasDatabaseName("ux_upload_jobs_active_content");
            job.HasIndex(j => new { j.SourceCenterId, j.SourceSystem, j.IngestMode, j.IdempotencyKey })
                .IsUnique()
                .HasFilter("idempotency_key IS NOT NULL AND " + ActiveJobFilter)
                .HasDatabaseName("ux_upload_jobs_active_idempotency");
            job.HasIndex(j => new { j.Status, j.NextRetryAt }).HasDatabaseName("ix_upload_jobs_status_next_retry");
            Configurations.UploadJobProcessingConfiguration.Configure(job);
        });

        modelBuilder.ApplyConfiguration(new Configurations.EndoscopyProcessorConfiguration());
        modelBuilder.ApplyConfiguration(new Configurations.CenterProcessorConfiguration());
        modelBuilder.ApplyConfiguration(new Configurations.SensitiveMetaConfiguration());
        modelBuilder.ApplyConfiguration(new Configurations.ProcessedArtifactConfiguration());

        modelBuilder.Entity<TransferSession>(transfer =>
        {
            transfer.ToTable("transfers");
            transfer.Property(t => t.Id).ValueGeneratedNever();
            transfer.Property(t => t.State).HasConversion(v => v.ToWire(), v => WireNames.ParseTransferState(v)).HasMaxLength(16);
            transfer.Property(t => t.IngestMode).HasConversion(v => v.ToWire(), v => WireNames.ParseIngestMode(v)).HasMaxLength(16);
            transfer.Property(t => t.Sha256).HasMaxLength(64);
            transfer.Property(t => t.ContentType).HasMaxLength(128);
            transfer.Property(t => t.OriginalFilename).HasMaxLength(1024);
            transfer.Property(t => t.SourceSystem).HasMaxLength(128);
            transfer.Property(t => t.IdempotencyKey).HasMaxLength(255);
            transfer.Property(t => t.DeclaredCenterKey).HasMaxLength(64);
            transfer.Property(t => t.Error).HasMaxLength(1024);
            transfer.Property(t => t.SenderNodeKey).HasMaxLength(64);
            transfer.HasOne<Center>().WithMany().HasForeignKey(t => t.CenterId).OnDelete(DeleteBehavior.Restrict);
            transfer.HasOne<UploadJob>().WithMany().HasForeignKey(t => t.UploadJobId).OnDelete(DeleteBehavior.Restrict);

            // One open transfer per sender and content: a re-offer resumes it instead of starting over.
            transfer.HasIndex(t => new { t.CenterId, t.SenderNodeKey, t.Sha256, t.SizeBytes })
                .IsUnique()
                .HasFilter("state = 'open'")
                .HasDatabaseName("ux_transfers_open_content");
            transfer.HasIndex(t => new { t.State, t.UpdatedAt }).HasDatabaseName("ix_transfers_state_updated");
        });

        modelBuilder.Entity<EnrollmentToken>(token =>
        {
            token.ToTable("enrollment_tokens");
            token.Property(t => t.TokenHash).HasMaxLength(64);
            token.Property(t => t.CreatedBy).HasMaxLength(255);
            token.HasIndex(t => t.TokenHash).IsUnique();
            token.HasOne(t => t.Node).WithMany().HasForeignKey(t => t.NodeId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<AuditEvent>(audit =>
        {
            audit.ToTable("audit_events");
            audit.Property(a => a.Actor).HasMaxLength(255);
            audit.Property(a => a.Action).HasMaxLength(64);
            audit.Property(a => a.Target).HasMaxLength(255);
            ConfigureJsonColumn(audit.Property(a => a.Details));
            audit.HasIndex(a => a.OccurredAt).HasDatabaseName("ix_audit_events_occurred_at");
            audit.HasIndex(a => new { a.Target, a.OccurredAt }).HasDatabaseName("ix_audit_events_target_occurred_at");
        });
    }

    /// <summary>Lets a provider store JSON (provenance, audit details) in its native JSON type.</summary>
    protected abstract void ConfigureJsonColumn<TProperty>(Microsoft.EntityFrameworkCore.Metadata.Builders.PropertyBuilder<TProperty> property);
}
