namespace LxAnnotate.Shared.Configuration;

/// <summary>
/// The database the process talks to. <see cref="ConnectionString"/> is in the provider's
/// own keyword form and may hold the password; <see cref="SafeDescription"/> never does
/// and is the only form meant for logs and error messages.
/// </summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString, string SafeDescription)
{
    // The generated record ToString would print ConnectionString, password included, into
    // any log line or interpolated string that touches this object (or a record holding it).
    public override string ToString() => SafeDescription;
}
