using LxAnnotate.Hub.Data.Configurations;
using LxAnnotate.Hub.Domain;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Data;

/// <summary>
/// The one model of the hub and standalone database. Each provider has its own subclass only so that
/// each keeps its own committed migrations; the model itself is defined here once, one configuration class per
/// entity under <c>Data/Configurations</c>.
/// </summary>
public abstract class LxaDbContext(DbContextOptions options) : DbContext(options)
{
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

    public DbSet<NodeHealthReport> NodeHealthReports => Set<NodeHealthReport>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        modelBuilder.ApplyConfiguration(new HubTransferJobConfiguration());
        modelBuilder.ApplyConfiguration(new CenterConfiguration());
        modelBuilder.ApplyConfiguration(new NetworkNodeConfiguration());
        modelBuilder.ApplyConfiguration(new NodeCertificateConfiguration());
        modelBuilder.ApplyConfiguration(new UploadJobConfiguration(JsonColumnType));
        modelBuilder.ApplyConfiguration(new EndoscopyProcessorConfiguration());
        modelBuilder.ApplyConfiguration(new CenterProcessorConfiguration());
        modelBuilder.ApplyConfiguration(new SensitiveMetaConfiguration());
        modelBuilder.ApplyConfiguration(new ProcessedArtifactConfiguration());
        modelBuilder.ApplyConfiguration(new TransferSessionConfiguration());
        modelBuilder.ApplyConfiguration(new EnrollmentTokenConfiguration());
        modelBuilder.ApplyConfiguration(new AuditEventConfiguration(JsonColumnType));
        modelBuilder.ApplyConfiguration(new NodeHealthReportConfiguration());
    }

    /// <summary>The provider's native JSON column type, for JSON stored in a column (provenance, audit details).</summary>
    protected abstract string JsonColumnType { get; }
}
