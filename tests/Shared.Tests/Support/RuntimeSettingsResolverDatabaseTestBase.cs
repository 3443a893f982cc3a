namespace LxAnnotate.Shared.Tests.Support;

/// <summary>
/// The variables and the secret the database resolver tests share: a temp data root and a password
/// that must never leave the connection string.
/// </summary>
public abstract class RuntimeSettingsResolverDatabaseTestBase : IDisposable
{
    // Distinctive, and full of characters that must be URL-encoded; "Zq7Xv" survives encoding,
    // so checking for it catches both the raw and the encoded form.
    protected const string Password = "Zq7Xv-p@ss:w/rd#1%;=\"' x";
    protected const string PasswordMarker = "Zq7Xv";
    protected static readonly string EncodedPassword = Uri.EscapeDataString(Password);

    private readonly TempDirectory _temp = new();

    protected RuntimeSettingsResolverDatabaseTestBase()
    {
        _root = _temp.Combine("data");
    }

    // Keeps the field's name it had when the tests were one class, so the tests read as they did.
    protected string _root { get; }

    public void Dispose()
    {
        _temp.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>A path in the test's private directory, next to the data root.</summary>
    protected string TempPath(string name) => _temp.Combine(name);

    protected Dictionary<string, string?> Environment(string? role = null, string? databaseUrl = null) => new()
    {
        ["ENDOREG_DEPLOYMENT_ROLE"] = role,
        ["LX_ANNOTATE_ENCRYPTED_DATA_DIR"] = _root,
        ["DATABASE_URL"] = databaseUrl,
    };

    protected Dictionary<string, string?> Legacy(string? engine, string? role = null)
    {
        var env = Environment(role);
        env["DJANGO_DB_ENGINE"] = engine;
        return env;
    }

    protected static void AssertNoSecret(string text)
    {
        Assert.DoesNotContain(PasswordMarker, text, StringComparison.Ordinal);
        Assert.DoesNotContain(EncodedPassword, text, StringComparison.Ordinal);
    }
}
