using LxAnnotate.Hub.Coordination;
using LxAnnotate.Hub.Data;
using LxAnnotate.Shared.Configuration;
using LxAnnotate.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LxAnnotate.Hub.Tests.Coordination;

/// <summary>
/// One database (a fresh PostgreSQL database, or a SQLite hub's settings) and, per replica, the services a hub process builds
/// around it: its own lock table, name and lease, as two replicas of one deployment have.
/// </summary>
internal sealed class LockDatabase : IAsyncDisposable
{
    private readonly PostgresTestDatabase? postgres;
    private readonly List<ServiceProvider> replicas = [];

    private LockDatabase(PostgresTestDatabase? postgres, DatabaseSettings settings)
    {
        this.postgres = postgres;
        Settings = settings;
    }

    public DatabaseSettings Settings { get; }

    public static async Task<LockDatabase> CreateAsync(TestDatabaseKind kind)
    {
        if (kind == TestDatabaseKind.PostgreSql)
        {
            var postgres = await PostgresTestDatabase.CreateAsync();
            return new LockDatabase(postgres, new DatabaseSettings(DatabaseProvider.PostgreSql, postgres.ConnectionString, "test"));
        }

        // The in-process locks of a SQLite hub never open the file.
        return new LockDatabase(null, new DatabaseSettings(DatabaseProvider.Sqlite, "Data Source=unused.sqlite3", "test"));
    }

    /// <summary>The services of one replica named <paramref name="replicaId"/>.</summary>
    public IServiceProvider Replica(string replicaId)
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(new ReplicaIdentity(replicaId))
            .AddLxaDatabase(Settings)
            .AddReplicaCoordination()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        replicas.Add(services);
        return services;
    }

    public static async Task<T> WithLocksAsync<T>(IServiceProvider replica, Func<DatabaseLocks, Task<T>> action)
    {
        ArgumentNullException.ThrowIfNull(replica);
        ArgumentNullException.ThrowIfNull(action);
        await using var scope = replica.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<DatabaseLocks>());
    }

    /// <summary>Ends the PostgreSQL sessions named <paramref name="applicationName"/>, as the server does when their process dies; returns how many.</summary>
    public Task<long> TerminateSessionsAsync(string applicationName) => CountSessionsAsync("count(pg_terminate_backend(pid))", applicationName);

    /// <summary>How many PostgreSQL sessions named <paramref name="applicationName"/> are open.</summary>
    public Task<long> CountSessionsAsync(string applicationName) => CountSessionsAsync("count(*)", applicationName);

    private async Task<long> CountSessionsAsync(string aggregate, string applicationName)
    {
        await using var admin = new NpgsqlConnection(Settings.ConnectionString);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT {aggregate} FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()", admin);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = applicationName });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in replicas)
        {
            await replica.DisposeAsync();
        }

        if (postgres is not null)
        {
            await postgres.DisposeAsync();
        }

    }
}
