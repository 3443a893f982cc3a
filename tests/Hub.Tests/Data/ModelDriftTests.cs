using LxAnnotate.Hub.Data;
using LxAnnotate.Shared.Configuration;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Tests.Data;

/// <summary>Fails when the EF model changed without a committed migration for each provider.</summary>
public sealed class ModelDriftTests
{
    [Theory]
    [InlineData(DatabaseProvider.PostgreSql, "Host=localhost;Database=lxa_drift")]
    [InlineData(DatabaseProvider.Sqlite, "Data Source=lxa_drift.sqlite3")]
    public void Model_ComparedWithLastMigration_HasNoPendingChanges(DatabaseProvider provider, string connectionString)
    {
        using var db = DatabaseRegistration.CreateContext(new DatabaseSettings(provider, connectionString, "drift"));

        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges(), $"The {provider} model has changes without a migration: run scripts/add-migration.sh NAME.");
    }
}
