using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Data;

/// <summary>The standalone / site-node SQLite database; migrations under <c>Data/Migrations/Sqlite</c>.</summary>
public sealed class SqliteLxaDbContext(DbContextOptions<SqliteLxaDbContext> options) : LxaDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);

        // SQLite has no timestamp type; as TEXT, DateTimeOffset cannot be compared or ordered in SQL
        // (the worker queue needs next_retry_at <= now). Stored as UTC ticks it can.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }

    protected override string JsonColumnType => "TEXT";
}
