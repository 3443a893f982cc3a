using System.Text.RegularExpressions;
using LxAnnotate.Hub.Domain;

namespace LxAnnotate.Hub.Ingest;

/// <summary>The shape rules of what a boundary declares, checked before any center is looked up or byte stored.</summary>
internal static partial class IngestMetadataValidator
{
    /// <summary>The first problem of <paramref name="request"/>'s metadata, as the caller may read it; null when it is valid.</summary>
    public static string? Validate(IngestRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Entrypoint))
        {
            return "entrypoint is required.";
        }

        if (!SourceSystemPattern().IsMatch(request.SourceSystem))
        {
            return "source_system must be 1-128 characters of letters, digits, '.', '_' or '-'.";
        }

        if (!ContentTypePattern().IsMatch(request.ContentType))
        {
            return $"content type '{request.ContentType}' is not a valid media type.";
        }

        if (request.IdempotencyKey is { } key && (key.Length is 0 or > 255 || key.Any(char.IsControl)))
        {
            return "idempotency_key must be 1-255 printable characters.";
        }

        if (request.OriginalFilename is { } name && (name.Length > 1024 || name.Any(char.IsControl)))
        {
            return "original_filename must be at most 1024 printable characters.";
        }

        if (request.ExpectedSha256 is { } sha && !Sha256Pattern().IsMatch(sha))
        {
            return "sha256 must be 64 hexadecimal characters.";
        }

        if (request.ExpectedSizeBytes is < 0)
        {
            return "size must not be negative.";
        }

        if (!StorageClasses.IsKnown(request.StorageClass))
        {
            return $"storage class '{request.StorageClass}' is unknown (expected managed or encrypted).";
        }

        try
        {
            ProcessingProvenance.ValidateHints(request.ProvenanceHints);
        }
        catch (ProvenanceSchemaException ex)
        {
            return ex.Message;
        }

        return null;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex SourceSystemPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-z0-9.+-]*$")]
    private static partial Regex ContentTypePattern();

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex Sha256Pattern();
}
