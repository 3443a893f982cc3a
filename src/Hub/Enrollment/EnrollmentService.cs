using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using LxAnnotate.Hub.Authentication;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Operators;
using LxAnnotate.Hub.Operators.Certificates;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Enrollment;

/// <summary>
/// Issues node certificates from a node's own CSR: the first one against a one-time token
/// (<see cref="EnrollAsync"/>), further ones against the node's current certificate (<see cref="RenewAsync"/>).
/// Each issued certificate is registered as an active <see cref="NodeCertificate"/> of the node together with
/// its audit event in one transaction; a refusal registers nothing and leaves a token unused.
/// </summary>
internal sealed class EnrollmentService(LxaDbContext db, NodeSigningSettings settings, TimeProvider time, ILoggerFactory loggerFactory)
{
    private const string EnrollMethod = "enroll";
    private const string RenewMethod = "renew";
    private const string AuditAction = "node_certificate_issued";

    private readonly ILogger logger = loggerFactory.CreateLogger<EnrollmentService>();
    private readonly ILogger audit = loggerFactory.CreateLogger(OperatorAuditLog.Category);

    public async Task<IssuedCertificate> EnrollAsync(string token, string csrPem, CancellationToken cancellationToken)
    {
        using var ca = NodeCertificateIssuer.LoadCa(settings);
        var now = time.GetUtcNow();
        var hash = EnrollmentTokens.Hash(token ?? "");
        var row = await db.EnrollmentTokens.AsNoTracking()
            .Where(t => t.TokenHash == hash)
            .Select(t => new { t.Id, t.UsedAt, t.ExpiresAt, t.Node!.NodeKey, NodeId = t.Node.Id, t.Node.IsActive })
            .FirstOrDefaultAsync(cancellationToken);

        // Token problems say which, so an operator knows whether to make a new one; none names a node.
        var problem = row switch
        {
            null => "the enrollment token is not valid",
            { UsedAt: not null } => "the enrollment token has already been used",
            _ when row.ExpiresAt <= now => "the enrollment token has expired; ask the operator for a new one ('lxa-hub nodes enroll')",
            _ => null,
        };
        if (problem is not null)
        {
            throw Refused(EnrollMethod, row?.NodeKey ?? "-", new EnrollmentException(EnrollmentErrorKind.InvalidToken, problem));
        }

        var issued = Issue(ca, csrPem, row!.NodeKey, row.IsActive, EnrollMethod, now);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // The claim is the conditional UPDATE, not the read above: of two concurrent uses exactly one
        // changes the row (the other waits on its lock and then matches nothing), and the claim commits
        // or rolls back together with the certificate it paid for.
        var claimed = await db.EnrollmentTokens
            .Where(t => t.Id == row.Id && t.UsedAt == null && t.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, (DateTimeOffset?)now), cancellationToken);
        if (claimed != 1)
        {
            throw Refused(EnrollMethod, row.NodeKey, new EnrollmentException(EnrollmentErrorKind.InvalidToken, "the enrollment token has already been used"));
        }

        var details = await RegisterAsync(row.NodeId, row.NodeKey, issued, EnrollMethod,
            new() { ["token_id"] = row.Id.ToString(CultureInfo.InvariantCulture) }, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Logged(issued, EnrollMethod, details);
    }

    /// <param name="nodeKey">The caller's node, from its authenticated client certificate.</param>
    /// <param name="callerThumbprint">The certificate the caller authenticated with, for the audit trail.</param>
    public async Task<IssuedCertificate> RenewAsync(string nodeKey, string callerThumbprint, string csrPem, CancellationToken cancellationToken)
    {
        using var ca = NodeCertificateIssuer.LoadCa(settings);
        var now = time.GetUtcNow();
        var node = await db.NetworkNodes.AsNoTracking()
            .Where(n => n.NodeKey == nodeKey)
            .Select(n => new { n.Id, n.IsActive })
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw Refused(RenewMethod, nodeKey, new EnrollmentException(EnrollmentErrorKind.NotIssuable, $"node '{nodeKey}' is not registered"));

        var issued = Issue(ca, csrPem, nodeKey, node.IsActive, RenewMethod, now);
        var details = await RegisterAsync(node.Id, nodeKey, issued, RenewMethod, new() { ["renewed_with"] = callerThumbprint }, now, cancellationToken);
        return Logged(issued, RenewMethod, details);
    }

    private IssuedCertificate Issue(X509Certificate2 ca, string csrPem, string nodeKey, bool nodeActive, string method, DateTimeOffset now)
    {
        try
        {
            if (!nodeActive)
            {
                throw new EnrollmentException(EnrollmentErrorKind.NotIssuable, $"node '{nodeKey}' is deactivated");
            }

            var publicKey = SigningRequests.Check(csrPem, nodeKey);
            using var certificate = NodeCertificateIssuer.Issue(ca, publicKey, nodeKey, settings.CertificateDays, now);
            return new IssuedCertificate(
                nodeKey,
                NodeCertificateAuthentication.Sha256Thumbprint(certificate),
                certificate.ExportCertificatePem(),
                ca.ExportCertificatePem(),
                new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero));
        }
        catch (EnrollmentException ex)
        {
            throw Refused(method, nodeKey, ex);
        }
    }

    /// <returns>The audit details, logged once the transaction has committed.</returns>
    private async Task<string> RegisterAsync(
        long nodeId, string nodeKey, IssuedCertificate issued, string method, Dictionary<string, string?> details, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var certificate = X509Certificate2.CreateFromPem(issued.CertificatePem);
        var row = NodeCertificateRows.Active(
            new CertificateFacts(
                issued.Thumbprint,
                certificate.SerialNumber,
                certificate.Subject,
                new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero),
                issued.NotAfter),
            now);
        row.NodeId = nodeId;
        db.NodeCertificates.Add(row);

        details["method"] = method;
        details["thumbprint"] = issued.Thumbprint;
        details["serial_number"] = certificate.SerialNumber;
        details["not_after"] = issued.NotAfter.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        var detailsJson = JsonSerializer.Serialize(details, OperatorJson.Default.DictionaryStringString);
        db.AuditEvents.Add(new AuditEvent { OccurredAt = now, Actor = Party(nodeKey), Action = AuditAction, Target = Party(nodeKey), Details = detailsJson });
        await db.SaveChangesAsync(cancellationToken);
        return detailsJson;
    }

    /// <summary>The node acts on its own behalf (its token or certificate), so it is both actor and target.</summary>
    private static string Party(string nodeKey) => "node:" + nodeKey;

    private IssuedCertificate Logged(IssuedCertificate issued, string method, string auditDetails)
    {
        OperatorAuditLog.OperatorAction(audit, AuditAction, Party(issued.NodeKey), Party(issued.NodeKey), auditDetails);
        EnrollmentLog.Issued(logger, issued.NodeKey, method, issued.Thumbprint, issued.NotAfter);
        return issued;
    }

    private EnrollmentException Refused(string method, string nodeKey, EnrollmentException ex)
    {
        EnrollmentLog.Refused(logger, method, nodeKey, ex.Kind);
        return ex;
    }
}
