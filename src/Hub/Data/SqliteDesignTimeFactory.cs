using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Data;

// Used only by `dotnet ef migrations add`; it never opens a connection.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteLxaDbContext>
{
    public SqliteLxaDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<SqliteLxaDbContext>();
        DatabaseRegistration.ConfigureSqlite(builder, "Data Source=lxa_design.sqlite3");
        return new SqliteLxaDbContext(builder.Options);
    }
}
