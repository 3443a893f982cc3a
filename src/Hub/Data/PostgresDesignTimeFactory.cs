using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Data;

// Used only by `dotnet ef migrations add`; it never opens a connection.
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresLxaDbContext>
{
    public PostgresLxaDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<PostgresLxaDbContext>();
        DatabaseRegistration.ConfigurePostgres(builder, "Host=localhost;Database=lxa_design");
        return new PostgresLxaDbContext(builder.Options);
    }
}
