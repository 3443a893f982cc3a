namespace LxAnnotate.Hub.Configuration;

/// <summary>
/// Every variable the original reads (lx-annotate's settings and deployment files, endoreg-db's env, path and keyring
/// modules), split into those LxAnnotate uses with the original's meaning and those it knows but does not use.
/// <c>lxa-hub check-config</c> and <c>serve</c> name the latter when they are set, so nothing is dropped silently;
/// docs/migration.md has the same table with what each one does here.
/// </summary>
internal static class PythonEnvironmentCatalog
{
    /// <summary>Read by LxAnnotate with the original's meaning (or mapped onto its own setting).</summary>
    public static IReadOnlySet<string> Used { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "DJANGO_HOST", "DJANGO_PORT",
        "DJANGO_DB_ENGINE", "DJANGO_DB_NAME", "DJANGO_DB_USER", "DJANGO_DB_PASSWORD", "DJANGO_DB_PASSWORD_FILE",
        "DJANGO_DB_HOST", "DJANGO_DB_PORT", "DJANGO_DB_SSLMODE", "DATABASE_URL",
        "ENDOREG_DEPLOYMENT_ROLE", "ENFORCE_AUTH", "DJANGO_SETTINGS_MODULE",
        "LX_ANNOTATE_ENCRYPTED_DATA_DIR", "LX_ANNOTATE_DATA_DIR", "DATA_DIR", "STORAGE_DIR", "XDG_DATA_HOME", "HOME",
        "LX_ANNOTATE_DEFAULT_CENTER",
        "LX_ANNOTATE_MASTER_KEY", "LX_ANNOTATE_MASTER_KEY_FILE", "LX_ANNOTATE_MASTER_KEYRING_FILE",
        "DJANGO_SALT", "DJANGO_SALT_FILE", "DJANGO_IDENTITY_SALT_KEYRING_FILE",
        "ENDOREG_ENABLE_HUB_TRANSFERS", "ENDOREG_HUB_TRANSFER_REQUIRE_SECURE_TRANSPORT", "ENDOREG_HUB_TRANSFER_REQUIRE_MTLS",
        "ENDOREG_HUB_TRANSFER_MTLS_META_KEY", "ENDOREG_HUB_TRANSFER_MTLS_META_VALUE", "ENDOREG_HUB_TRANSFER_MAX_UPLOAD_BYTES",
        "LX_ANNOTATE_HUB_EXPORT_RECIPIENT_PUBLIC_KEY_FILE",
        "WATCHER_POLL_INTERVAL_SECONDS", "WATCHER_STABLE_AFTER_SECONDS",
    };

    /// <summary>Known from the original, not used by LxAnnotate: the name and why it has nothing to do here.</summary>
    public static IReadOnlyDictionary<string, string> NotUsed { get; } = Build(
        ("Django web application (no Django here; nginx and the hub's own settings take its place)",
        [
            "DJANGO_ALLOWED_HOSTS", "ALLOWED_HOSTS", "DJANGO_CSRF_TRUSTED_ORIGINS", "DJANGO_CORS_ALLOWED_ORIGINS",
            "DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY_FILE", "DJANGO_SIGNING_KEYRING_FILE", "DJANGO_DEBUG",
            "DJANGO_LANGUAGE_CODE", "DJANGO_ENV", "DJANGO_SETTINGS_MODULE_PRODUCTION", "DJANGO_SECURE_PROXY_SSL_HEADER_NAME",
            "DJANGO_SECURE_PROXY_SSL_HEADER_VALUE", "EXEMPT_URLS", "LOGIN_URL", "HTTP_PROTOCOL", "BASE_URL",
        ]),
        ("time zone of the Django application (LxAnnotate stores UTC timestamps)", ["TIME_ZONE", "DJANGO_TIME_ZONE"]),
        ("Keycloak session login of the web frontend (the hub validates bearer tokens with OIDC_ISSUER, OIDC_AUDIENCE, OIDC_JWKS_URL)",
        [
            "OIDC_RP_CLIENT_ID", "OIDC_RP_CLIENT_SECRET", "DJANGO_KEYCLOAK_CLIENT_ID", "DJANGO_KEYCLOAK_CLIENT_SECRET",
            "DJANGO_KEYCLOAK_CLIENT_SECRET_FILE", "DJANGO_KEYCLOAK_SERVER_URL", "KEYCLOAK_CLIENT_SECRET",
        ]),
        ("center display name of the web frontend (centers are managed with lxa-hub centers)", ["CENTER_NAME"]),
        ("static files and frontend build of the web application", ["DJANGO_STATIC_ROOT", "STATIC_URL", "VITE_ENABLE_DEBUG", "SERVE_WITH_NGINX"]),
        ("installation folders of the Python wheel", ["WORKING_DIR", "HOME_DIR", "ASSET_DIR", "CONF_DIR", "CONF_TEMPLATE_DIR", "LX_ANNOTATE_PACKAGE_VERSION"]),
        ("Python test switches", ["RUN_VIDEO_TESTS", "SKIP_EXPENSIVE_TESTS"]),
        ("OCR, model and LLM runtime of the Python processing (the hub's worker has its own processor profiles)",
        [
            "TESSDATA_PREFIX", "PYTORCH_ALLOC_CONF", "LX_DTYPES_HOST_MODELS_MODULE", "LLM_ENABLED", "LLM_PROVIDER", "LLM_BASE_URL",
            "LLM_MODEL", "LLM_TIMEOUT", "MODEL_TRAINING_JOB_MODE", "MODEL_TRAINING_STAGING_ROOT", "VIDEO_POST_VALIDATION_JOB_MODE",
            "VIDEO_TEMPORAL_INFERENCE_JOB_MODE", "VIDEO_TEMPORAL_INFERENCE_FRAME_SOURCE_MODE", "REPORT_LLM_JOB_MODE",
            "FFMPEG_TRANSCODE_TIMEOUT_SECONDS",
        ]),
        ("Celery queues (the hub's worker claims jobs from the database)",
        [
            "CELERY_BROKER_URL", "CELERY_TASK_DEFAULT_QUEUE", "CELERY_DEFAULT_QUEUE", "CELERY_PIPELINE_QUEUE", "CELERY_FRAME_EXTRACTION_QUEUE",
            "CELERY_FFMPEG_MEDIA_QUEUE", "CELERY_INFERENCE_QUEUE", "CELERY_TRAINING_QUEUE", "CELERY_LLM_INFERENCE_QUEUE",
            "CELERY_MAINTENANCE_QUEUE", "CELERY_HUB_TRANSFER_QUEUE", "CELERY_FRAME_EXTRACTION_REQUIRE_SECURE_TRANSPORT",
            "CELERY_FFMPEG_MEDIA_REQUIRE_SECURE_TRANSPORT", "CELERY_BROKER_SECURE_TRANSPORT_CONFIRMED",
        ]),
        ("media paths and URLs fixed here (storage under the data root, protected media at /protected_media/)",
        [
            "PROTECTED_MEDIA_ROOT", "NGINX_PROTECTED_MEDIA_URL", "MEDIA_URL", "LX_ANNOTATE_STREAMABLE_VIDEO_ROOT",
            "LX_ANNOTATE_STREAMABLE_VIDEO_RAW_ROOT", "LX_ANNOTATE_STREAMABLE_VIDEO_PROCESSED_ROOT",
        ]),
        ("drop folders fixed under ${root}/import", ["WATCHER_VIDEO_DIR", "WATCHER_REPORT_DIR", "WATCHER_PREANONYMIZED_DIR"]),
        ("the Python site's outbound hub export (lxa-node sends with LXA_NODE_HUB_URL and its certificate)",
        [
            "ENDOREG_HUB_MODE", "LX_ANNOTATE_HUB_EXPORT_AUTO_QUEUE", "LX_ANNOTATE_HUB_EXPORT_REQUIRE_MTLS",
            "LX_ANNOTATE_HUB_EXPORT_CLIENT_CERT_FILE", "LX_ANNOTATE_HUB_EXPORT_CLIENT_KEY_FILE", "LX_ANNOTATE_HUB_EXPORT_CA_FILE",
            "LX_ANNOTATE_HUB_EXPORT_STALE_AFTER_SECONDS", "LX_ANNOTATE_HUB_EXPORT_MAX_RETRIES", "LX_ANNOTATE_HUB_EXPORT_LOCAL_CLEANUP_POLICY",
        ]),
        ("CA bundle of the Python HTTP clients (.NET uses the system store and the LXA_* CA files)", ["SSL_CERT_FILE", "REQUESTS_CA_BUNDLE"]));

    /// <summary>The known, unused variables among <paramref name="names"/>, sorted, with why each is not used.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> NotUsedAmong(IEnumerable<string> names) =>
        names.Distinct(StringComparer.Ordinal)
            .Where(NotUsed.ContainsKey)
            .Order(StringComparer.Ordinal)
            .Select(name => KeyValuePair.Create(name, NotUsed[name]))
            .ToList();

    private static Dictionary<string, string> Build(params (string Why, string[] Names)[] groups)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (why, names) in groups)
        {
            foreach (var name in names)
            {
                result.Add(name, why);
            }
        }

        return result;
    }
}
