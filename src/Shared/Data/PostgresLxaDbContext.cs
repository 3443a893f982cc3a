using LxAnnotate.Shared.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LxAnnotate.Shared.Data;

/// <summary>The hub's PostgreSQL database; migrations under <c>Data/Migrations/Postgres</c>.</summary>
public sealed class PostgresLxaDbContext(DbContextOptions<PostgresLxaDbContext> options) : LxaDbContext(options)
{
    protected override void ConfigureJsonColumn(PropertyBuilder<ProcessingProvenance> property) =>
        property.HasColumnType("jsonb");
}
