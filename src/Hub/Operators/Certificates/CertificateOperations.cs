using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Operators.Nodes;
using LxAnnotate.Shared.Configuration;
using Microsoft.EntityFrameworkCore;
using static LxAnnotate.Hub.Operators.OperatorInput;

namespace LxAnnotate.Hub.Operators.Certificates;

/// <summary>
/// What <c>lxa-hub nodes cert add|list|revoke</c> do. A missing node CA setting is a
/// <see cref="ConfigurationContractException"/>; revoking a revoked certificate is no change: it succeeds,
/// reports <c>changed: false</c> and records nothing.
/// </summary>
internal sealed class CertificateOperations(LxaDbContext db, OperatorSettings settings, OperatorAuditTrail audit, TimeProvider time)
{
    /// <summary>
    /// Registers an externally issued client certificate for a node after checking it as the hub will
    /// (<see cref="NodeCertificateInspector"/>). Earlier certificates stay active, so a node can rotate
    /// with two valid certificates and the old one is revoked once the new one is in use.
    /// </summary>
    public async Task<CertificateView> AddCertificateAsync(string nodeKey, string pemFile, string actor, CancellationToken cancellationToken)
    {
        RequireNodeKey(nodeKey);
        if (string.IsNullOrWhiteSpace(pemFile))
        {
            throw new OperatorException(OperatorErrorKind.InvalidArgument, "FILE must name the node's certificate (PEM)");
        }

        using var nodeCa = settings.LoadNodeCa();
        var node = await db.FindNodeAsync(nodeKey, cancellationToken);
        var now = time.GetUtcNow();
        var inspected = NodeCertificateInspector.Inspect(pemFile, nodeCa, nodeKey, now);

        var holder = await db.NodeCertificates.AsNoTracking()
            .Where(c => c.ThumbprintSha256 == inspected.Thumbprint)
            .Select(c => c.Node!.NodeKey)
            .FirstOrDefaultAsync(cancellationToken);
        if (holder is not null)
        {
            throw Duplicate(inspected.Thumbprint, holder);
        }

        var certificate = NodeCertificateRows.Active(inspected, now);
        node.Certificates.Add(certificate);
        await audit.SaveAsync(actor, "node_certificate_added", SiteNodes.Target(nodeKey),
            new()
            {
                ["thumbprint"] = inspected.Thumbprint,
                ["serial_number"] = inspected.SerialNumber,
                ["subject"] = inspected.Subject,
                ["not_before"] = OperatorAuditTrail.Timestamp(inspected.NotBefore),
                ["not_after"] = OperatorAuditTrail.Timestamp(inspected.NotAfter),
            },
            () => Duplicate(inspected.Thumbprint, holder: null), cancellationToken);
        return CertificateView.From(nodeKey, certificate, now);
    }

    public async Task<IReadOnlyList<CertificateView>> ListCertificatesAsync(string nodeKey, CancellationToken cancellationToken)
    {
        RequireNodeKey(nodeKey);
        var node = await db.FindNodeAsync(nodeKey, cancellationToken, tracking: false);
        return CertificateView.ListOf(nodeKey, node.Certificates, time.GetUtcNow());
    }

    /// <summary>Revokes one certificate of a node; the hub refuses it from the next call on.</summary>
    /// <param name="thumbprint">SHA-256 hex, any case, colons allowed (as <c>openssl x509 -fingerprint</c> prints it).</param>
    public async Task<CertificateRevocation> RevokeCertificateAsync(string nodeKey, string thumbprint, string reason, string actor, CancellationToken cancellationToken)
    {
        RequireNodeKey(nodeKey);
        var normalized = NormalizeThumbprint(thumbprint);
        reason = RequireText(reason, "--reason", ReasonMaxLength);

        var node = await db.FindNodeAsync(nodeKey, cancellationToken);
        var certificate = node.Certificates.FirstOrDefault(c => string.Equals(c.ThumbprintSha256, normalized, StringComparison.Ordinal))
            ?? throw new OperatorException(OperatorErrorKind.UnknownCertificate,
                $"node '{nodeKey}' has no certificate with thumbprint {normalized}");

        var now = time.GetUtcNow();
        var changed = certificate.Status != NodeCertificateStatus.Revoked;
        if (changed)
        {
            certificate.Status = NodeCertificateStatus.Revoked;
            certificate.RevokedAt = now;
            certificate.RevocationReason = reason;
            await audit.SaveAsync(actor, "node_certificate_revoked", SiteNodes.Target(nodeKey),
                new() { ["thumbprint"] = normalized, ["reason"] = reason }, duplicate: null, cancellationToken);
        }

        return new CertificateRevocation(CertificateView.From(nodeKey, certificate, now), changed);
    }

    private static string NormalizeThumbprint(string thumbprint)
    {
        var hex = (thumbprint ?? "").Replace(":", "", StringComparison.Ordinal).Trim().ToUpperInvariant();
        if (hex.Length != 64 || !hex.All(char.IsAsciiHexDigit))
        {
            throw new OperatorException(OperatorErrorKind.InvalidArgument,
                "a certificate thumbprint is the SHA-256 of the certificate: 64 hex digits (colons allowed)");
        }

        return hex;
    }

    private static OperatorException Duplicate(string thumbprint, string? holder) =>
        new(OperatorErrorKind.DuplicateCertificate, holder is null
            ? $"certificate {thumbprint} is already registered"
            : $"certificate {thumbprint} is already registered to node '{holder}'");
}
