namespace LxAnnotate.Shared.Configuration;

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
}
