using LxAnnotate.Shared.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LxAnnotate.Hub.Data;

public static class DatabaseRegistration
{
    internal const string MigrationsHistoryTable = "__ef_migrations_history";

    /// <summary>
    /// Registers the provider-specific context and exposes it as <see cref="LxaDbContext"/> so that
    /// callers never depend on which database a role runs on.
    /// </summary>
    public static IServiceCollection AddLxaDatabase(this IServiceCollection services, DatabaseSettings database)
    {
        ArgumentNullException.ThrowIfNull(database);

        if (database.Provider == DatabaseProvider.PostgreSql)
        {
            services.AddDbContext<PostgresLxaDbContext>(options => ConfigurePostgres(options, database.ConnectionString));
            services.AddScoped<LxaDbContext>(sp => sp.GetRequiredService<PostgresLxaDbContext>());
        }
        else
        {
            services.AddDbContext<SqliteLxaDbContext>(options => ConfigureSqlite(options, database.ConnectionString));
            services.AddScoped<LxaDbContext>(sp => sp.GetRequiredService<SqliteLxaDbContext>());
        }

        services.AddScoped<DatabaseMigrator>();
        return services;
    }

    /// <summary>Builds a context outside DI (CLI one-shots, tests).</summary>
    public static LxaDbContext CreateContext(DatabaseSettings database)
    {
        ArgumentNullException.ThrowIfNull(database);

        if (database.Provider == DatabaseProvider.PostgreSql)
        {
            var builder = new DbContextOptionsBuilder<PostgresLxaDbContext>();
            ConfigurePostgres(builder, database.ConnectionString);
            return new PostgresLxaDbContext(builder.Options);
        }
        else
        {
            var builder = new DbContextOptionsBuilder<SqliteLxaDbContext>();
            ConfigureSqlite(builder, database.ConnectionString);
            return new SqliteLxaDbContext(builder.Options);
        }
    }

    internal static void ConfigurePostgres(DbContextOptionsBuilder options, string connectionString) =>
        options
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable(MigrationsHistoryTable))
            .UseSnakeCaseNamingConvention();

    internal static void ConfigureSqlite(DbContextOptionsBuilder options, string connectionString) =>
        options
            .UseSqlite(connectionString, sqlite => sqlite.MigrationsHistoryTable(MigrationsHistoryTable))
            .UseSnakeCaseNamingConvention();
}
