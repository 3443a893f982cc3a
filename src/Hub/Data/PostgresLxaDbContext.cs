using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Data;

/// <summary>The hub's PostgreSQL database; migrations under <c>Data/Migrations/Postgres</c>.</summary>
public sealed class PostgresLxaDbContext(DbContextOptions<PostgresLxaDbContext> options) : LxaDbContext(options)
{
    protected override string JsonColumnType => "jsonb";
}
