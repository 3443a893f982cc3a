namespace LxAnnotate.TestSupport;

public enum TestDatabaseKind
{
    Sqlite,
    PostgreSql,
}
