namespace LxAnnotate.Shared.Configuration;

/// <summary>
/// Variable names of the runtime contract. They are the original system's names, kept so an
/// existing <c>.env.systemd</c> works unchanged; do not rename them.
/// </summary>
public static class EnvironmentVariableNames
{
    public const string DeploymentRole = "ENDOREG_DEPLOYMENT_ROLE";

    public const string EncryptedDataDir = "LX_ANNOTATE_ENCRYPTED_DATA_DIR";
    public const string DataDir = "LX_ANNOTATE_DATA_DIR";
    public const string LegacyDataDir = "DATA_DIR";
    public const string StorageDir = "STORAGE_DIR";

    /// <summary>The original's fallback base of the data root (<c>${XDG_DATA_HOME}/lx-annotate</c>).</summary>
    public const string XdgDataHome = "XDG_DATA_HOME";
    public const string Home = "HOME";

    public const string DatabaseUrl = "DATABASE_URL";
    public const string DjangoDbEngine = "DJANGO_DB_ENGINE";
    public const string DjangoDbName = "DJANGO_DB_NAME";
    public const string DjangoDbUser = "DJANGO_DB_USER";
    public const string DjangoDbPassword = "DJANGO_DB_PASSWORD";
    public const string DjangoDbPasswordFile = "DJANGO_DB_PASSWORD_FILE";
    public const string DjangoDbSslMode = "DJANGO_DB_SSLMODE";
    public const string DjangoDbHost = "DJANGO_DB_HOST";
    public const string DjangoDbPort = "DJANGO_DB_PORT";

    public const string DefaultCenter = "LX_ANNOTATE_DEFAULT_CENTER";

    public const string MasterKey = "LX_ANNOTATE_MASTER_KEY";
    public const string MasterKeyFile = "LX_ANNOTATE_MASTER_KEY_FILE";
    public const string MasterKeyRetiringFiles = "LX_ANNOTATE_MASTER_KEY_RETIRING_FILES";
    public const string MasterKeyringFile = "LX_ANNOTATE_MASTER_KEYRING_FILE";
    public const string RequireEncryption = "LX_ANNOTATE_REQUIRE_ENCRYPTION";
}
