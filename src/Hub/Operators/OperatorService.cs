using System.Globalization;
using System.Text.Json;
using LxAnnotate.Hub.Data;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.HubTransfers;
using LxAnnotate.Shared.Configuration;
using Microsoft.EntityFrameworkCore;

namespace LxAnnotate.Hub.Operators;

/// <summary>
/// What <c>lxa-hub centers …</c> and <c>lxa-hub nodes …</c> do. Every change is saved together with its
/// <see cref="AuditEvent"/> in one <c>SaveChanges</c> (one transaction), then logged on the audit
/// category. Refusals are <see cref="OperatorException"/>; a missing hub setting is a
/// <see cref="ConfigurationContractException"/>. Setting a state a node or certificate already has is
/// no change: it succeeds, reports <c>changed: false</c> and records nothing.
/// </summary>
internal sealed class OperatorService(LxaDbContext db, OperatorSettings settings, TimeProvider time, ILoggerFactory loggerFactory)
{
    private const int NameMaxLength = 255;
    private const int ReasonMaxLength = 1024;

    private readonly ILogger audit = loggerFactory.CreateLogger(OperatorAuditLog.Category);

    /// <summary>Refuses to work on a database <c>lxa-hub migrate</c> has not brought up to date.</summary>
    public async Task EnsureSchemaCurrentAsync(CancellationToken cancellationToken)
    {
        if ((await db.Database.GetPendingMigrationsAsync(cancellationToken)).Any())
        {
            throw new OperatorException(OperatorErrorKind.SchemaNotCurrent,
                "the database schema is not current; run 'lxa-hub migrate' first");
        }
    }

    public async Task<CenterView> AddCenterAsync(string centerKey, string name, string? displayName, string actor, CancellationToken cancellationToken)
    {
        RequireCenterKey(centerKey);
        name = RequireText(name, "--name", NameMaxLength);
        displayName = OptionalText(displayName, "--display-name", NameMaxLength);

        if (await db.Centers.AnyAsync(c => c.CenterKey == centerKey, cancellationToken))
        {
            throw DuplicateCenter(centerKey);
        }

        var center = new Center { CenterKey = centerKey, Name = name, DisplayName = displayName, CreatedAt = time.GetUtcNow() };
        db.Centers.Add(center);
        await SaveWithAuditAsync(actor, "center_added", Target("center", centerKey),
            new() { ["name"] = name, ["display_name"] = displayName },
            () => DuplicateCenter(centerKey), cancellationToken);
        return CenterView.From(center);
    }

    public async Task<IReadOnlyList<CenterView>> ListCentersAsync(CancellationToken cancellationToken)
    {
        var centers = await db.Centers.AsNoTracking().ToListAsync(cancellationToken);
        return centers.OrderBy(c => c.CenterKey, StringComparer.Ordinal).Select(CenterView.From).ToList();
    }

    public async Task<NodeView> AddNodeAsync(string nodeKey, string centerKey, string? displayName, string actor, CancellationToken cancellationToken)
    {
        RequireNodeKey(nodeKey);
        RequireCenterKey(centerKey);
        displayName = OptionalText(displayName, "--display-name", NameMaxLength);

        var center = await FindCenterAsync(centerKey, cancellationToken);
        if (await db.NetworkNodes.AnyAsync(n => n.NodeKey == nodeKey, cancellationToken))
        {
            throw DuplicateNode(nodeKey);
        }

        var node = new NetworkNode
        {
            NodeKey = nodeKey,
            DisplayName = displayName,
            Role = DeploymentRole.SiteNode.ToWireName(),
            OwningCenterId = center.Id,
            OwningCenter = center,
            CreatedAt = time.GetUtcNow(),
        };
        db.NetworkNodes.Add(node);
        await SaveWithAuditAsync(actor, "node_added", Target("node", nodeKey),
            new() { ["center_key"] = centerKey, ["display_name"] = displayName, ["role"] = node.Role },
            () => DuplicateNode(nodeKey), cancellationToken);
        return NodeView.From(node, time.GetUtcNow());
    }

    /// <summary>
    /// Makes a one-time enrollment token for a node, adding the node to <paramref name="centerKey"/> when it
    /// does not exist yet. Only the token's hash is stored; the token is returned once, to be printed.
    /// </summary>
    public async Task<EnrollmentTokenView> CreateEnrollmentTokenAsync(string nodeKey, string centerKey, TimeSpan ttl, string actor, CancellationToken cancellationToken)
    {
        RequireNodeKey(nodeKey);
        RequireCenterKey(centerKey);
        var center = await FindCenterAsync(centerKey, cancellationToken);
        var now = time.GetUtcNow();
        var node = await db.NetworkNodes.Include(n => n.OwningCenter).FirstOrDefaultAsync(n => n.NodeKey == nodeKey, cancellationToken);
        if (node is not null && node.OwningCenterId != center.Id)
        {
            throw new OperatorException(OperatorErrorKind.NodeInOtherCenter,
                $"node '{nodeKey}' belongs to center '{node.OwningCenter!.CenterKey}', not '{centerKey}'");
        }

        var created = node is null;
        string? nodeDetails = null;
        if (node is null)
        {
            node = new NetworkNode
            {
                NodeKey = nodeKey,
                Role = DeploymentRole.SiteNode.ToWireName(),
                OwningCenterId = center.Id,
                OwningCenter = center,
                CreatedAt = now,
            };
            db.NetworkNodes.Add(node);
            nodeDetails = JsonSerializer.Serialize(
                new Dictionary<string, string?> { ["center_key"] = centerKey, ["display_name"] = null, ["role"] = node.Role },
                OperatorJson.Default.DictionaryStringString);
            db.AuditEvents.Add(new AuditEvent { OccurredAt = now, Actor = actor, Action = "node_added", Target = Target("node", nodeKey), Details = nodeDetails });
        }

        var token = Enrollment.EnrollmentTokens.Create();
        var row = new EnrollmentToken
        {
            Node = node,
            TokenHash = Enrollment.EnrollmentTokens.Hash(token),
            ExpiresAt = now + ttl,
            CreatedAt = now,
            CreatedBy = actor,
        };
        db.EnrollmentTokens.Add(row);
        await SaveWithAuditAsync(actor, "node_enrollment_token_created", Target("node", nodeKey),
            new() { ["center_key"] = centerKey, ["expires_at"] = Timestamp(row.ExpiresAt), ["node_created"] = created ? "true" : "false" },
            () => DuplicateNode(nodeKey), cancellationToken);
        if (nodeDetails is not null)
        {
            OperatorAuditLog.OperatorAction(audit, "node_added", actor, Target("node", nodeKey), nodeDetails);
        }

        return new EnrollmentTokenView(nodeKey, centerKey, token, row.ExpiresAt, created);
    }

    /// <param name="centerKey">Only the nodes of this center, when given.</param>
    public async Task<IReadOnlyList<NodeView>> ListNodesAsync(string? centerKey, CancellationToken cancellationToken)
    {
        var query = db.NetworkNodes.AsNoTracking().Include(n => n.OwningCenter).Include(n => n.Certificates).AsQueryable();
        if (centerKey is not null)
        {
            RequireCenterKey(centerKey);
            var center = await FindCenterAsync(centerKey, cancellationToken);
            query = query.Where(n => n.OwningCenterId == center.Id);
        }

        var nodes = await query.AsSplitQuery().ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        return nodes.OrderBy(n => n.NodeKey, StringComparer.Ordinal).Select(n => NodeView.From(n, now)).ToList();
    }

    /// <summary>Activates or deactivates a node; a deactivated node's certificates stop authenticating at once.</summary>
    public async Task<NodeActivation> SetNodeActiveAsync(string nodeKey, bool active, string actor, CancellationToken cancellationToken)
    {
        RequireNodeKey(nodeKey);
        var node = await FindNodeAsync(nodeKey, cancellationToken);
        var changed = node.IsActive != active;
        if (changed)
        {
            node.IsActive = active;
            await SaveWithAuditAsync(actor, active ? "node_activated" : "node_deactivated", Target("node", nodeKey),
                new() { ["center_key"] = node.OwningCenter!.CenterKey }, duplicate: null, cancellationToken);
        }

        return new NodeActivation(NodeView.From(node, time.GetUtcNow()), changed);
    }

    /// <summary>
    /// Sets the node's hub transfer secret (<c>X-Network-Node-Secret</c>) by storing its Django-compatible
    /// PBKDF2 hash. The secret itself is neither stored nor logged; the audit event names only the node.
    /// </summary>
    public async Task<NodeSecretView> SetNodeSecretAsync(string nodeKey, string secret, string actor, CancellationToken cancellationToken)
    {
        RequireNodeKey(nodeKey);
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.Length < 16 || secret.Length > 512 || secret.Any(char.IsControl))
        {
            throw new OperatorException(OperatorErrorKind.InvalidArgument, "the secret must be 16 to 512 printable characters (one line on stdin)");
        }

        return await StoreSecretHashAsync(nodeKey, NodeSecretHash.Create(secret), "node_secret_set", actor, cancellationToken);
    }

    /// <summary>Stores a <c>pbkdf2_sha256$…</c> hash exported from a Python hub, checked for form only.</summary>
    public async Task<NodeSecretView> ImportNodeSecretHashAsync(string nodeKey, string hash, string actor, CancellationToken cancellationToken)
    {
        RequireNodeKey(nodeKey);
        ArgumentNullException.ThrowIfNull(hash);
        hash = hash.Trim();
        if (NodeSecretHash.Problem(hash) is { } problem)
        {
            throw new OperatorException(OperatorErrorKind.InvalidArgument, "invalid secret hash: " + problem);
        }

        return await StoreSecretHashAsync(nodeKey, hash, "node_secret_hash_imported", actor, cancellationToken);
    }

    private async Task<NodeSecretView> StoreSecretHashAsync(string nodeKey, string hash, string action, string actor, CancellationToken cancellationToken)
    {
        var node = await FindNodeAsync(nodeKey, cancellationToken);
        var replaced = node.SecretHash is not null;
        node.SecretHash = hash;
        var iterations = int.Parse(hash.Split('$')[1], NumberStyles.None, CultureInfo.InvariantCulture);
        await SaveWithAuditAsync(actor, action, Target("node", nodeKey),
            new() { ["center_key"] = node.OwningCenter!.CenterKey, ["replaced"] = replaced ? "true" : "false" }, duplicate: null, cancellationToken);
        return new NodeSecretView(nodeKey, node.OwningCenter!.CenterKey, NodeSecretHash.Algorithm, iterations, replaced);
    }

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
        var node = await FindNodeAsync(nodeKey, cancellationToken);
        var now = time.GetUtcNow();
        var inspected = NodeCertificateInspector.Inspect(pemFile, nodeCa, nodeKey, now);

        var holder = await db.NodeCertificates.AsNoTracking()
            .Where(c => c.ThumbprintSha256 == inspected.Thumbprint)
            .Select(c => c.Node!.NodeKey)
            .FirstOrDefaultAsync(cancellationToken);
        if (holder is not null)
        {
            throw DuplicateCertificate(inspected.Thumbprint, holder);
        }

        var certificate = new NodeCertificate
        {
            ThumbprintSha256 = inspected.Thumbprint,
            SerialNumber = inspected.SerialNumber,
            Subject = inspected.Subject,
            NotBefore = inspected.NotBefore,
            NotAfter = inspected.NotAfter,
            Status = NodeCertificateStatus.Active,
            CreatedAt = now,
        };
        node.Certificates.Add(certificate);
        await SaveWithAuditAsync(actor, "node_certificate_added", Target("node", nodeKey),
            new()
            {
                ["thumbprint"] = inspected.Thumbprint,
                ["serial_number"] = inspected.SerialNumber,
                ["subject"] = inspected.Subject,
                ["not_before"] = Timestamp(inspected.NotBefore),
                ["not_after"] = Timestamp(inspected.NotAfter),
            },
            () => DuplicateCertificate(inspected.Thumbprint, holder: null), cancellationToken);
        return CertificateView.From(nodeKey, certificate, now);
    }

    public async Task<IReadOnlyList<CertificateView>> ListCertificatesAsync(string nodeKey, CancellationToken cancellationToken)
    {
        RequireNodeKey(nodeKey);
        var node = await FindNodeAsync(nodeKey, cancellationToken, tracking: false);
        return CertificateView.ListOf(nodeKey, node.Certificates, time.GetUtcNow());
    }

    /// <summary>Revokes one certificate of a node; the hub refuses it from the next call on.</summary>
    /// <param name="thumbprint">SHA-256 hex, any case, colons allowed (as <c>openssl x509 -fingerprint</c> prints it).</param>
    public async Task<CertificateRevocation> RevokeCertificateAsync(string nodeKey, string thumbprint, string reason, string actor, CancellationToken cancellationToken)
    {
        RequireNodeKey(nodeKey);
        var normalized = NormalizeThumbprint(thumbprint);
        reason = RequireText(reason, "--reason", ReasonMaxLength);

        var node = await FindNodeAsync(nodeKey, cancellationToken);
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
            await SaveWithAuditAsync(actor, "node_certificate_revoked", Target("node", nodeKey),
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

    private async Task<Center> FindCenterAsync(string centerKey, CancellationToken cancellationToken) =>
        await db.Centers.FirstOrDefaultAsync(c => c.CenterKey == centerKey, cancellationToken)
            ?? throw new OperatorException(OperatorErrorKind.UnknownCenter, $"unknown center '{centerKey}'");

    private async Task<NetworkNode> FindNodeAsync(string nodeKey, CancellationToken cancellationToken, bool tracking = true)
    {
        var nodes = tracking ? db.NetworkNodes : db.NetworkNodes.AsNoTracking();
        return await nodes.Include(n => n.OwningCenter).Include(n => n.Certificates)
                .AsSplitQuery()
                .FirstOrDefaultAsync(n => n.NodeKey == nodeKey, cancellationToken)
            ?? throw new OperatorException(OperatorErrorKind.UnknownNode, $"unknown node '{nodeKey}'");
    }

    /// <summary>
    /// Saves the pending change and its audit event in one transaction. A unique index that refuses the
    /// write (a concurrent command added the same key first) becomes <paramref name="duplicate"/>.
    /// </summary>
    private async Task SaveWithAuditAsync(
        string actor,
        string action,
        string target,
        Dictionary<string, string?> details,
        Func<OperatorException>? duplicate,
        CancellationToken cancellationToken)
    {
        var detailsJson = JsonSerializer.Serialize(details, OperatorJson.Default.DictionaryStringString);
        db.AuditEvents.Add(new AuditEvent
        {
            OccurredAt = time.GetUtcNow(),
            Actor = actor,
            Action = action,
            Target = target,
            Details = detailsJson,
        });

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (duplicate is not null && DbErrors.IsUniqueViolation(ex))
        {
            throw duplicate();
        }

        OperatorAuditLog.OperatorAction(audit, action, actor, target, detailsJson);
    }

    private static void RequireCenterKey(string key)
    {
        if (!CenterKeys.IsValid(key))
        {
            throw InvalidKey("center", key);
        }
    }

    private static void RequireNodeKey(string key)
    {
        if (!NodeKeys.IsValid(key))
        {
            throw InvalidKey("node", key);
        }
    }

    private static OperatorException InvalidKey(string kind, string key) =>
        new(OperatorErrorKind.InvalidKey, $"invalid {kind} key '{key}': 1 to 64 of a-z, 0-9, '_' and '-', starting with a letter or digit");

    private static string RequireText(string? value, string option, int maxLength) =>
        OptionalText(value, option, maxLength)
            ?? throw new OperatorException(OperatorErrorKind.InvalidArgument, $"{option} must not be empty");

    private static string? OptionalText(string? value, string option, int maxLength)
    {
        if (value is null)
        {
            return null;
        }

        var text = value.Trim();
        if (text.Any(char.IsControl))
        {
            throw new OperatorException(OperatorErrorKind.InvalidArgument, $"{option} must be one line of printable text");
        }

        if (text.Length > maxLength)
        {
            throw new OperatorException(OperatorErrorKind.InvalidArgument, $"{option} is longer than {maxLength} characters");
        }

        return text.Length == 0 ? null : text;
    }

    private static string Target(string kind, string key) => kind + ":" + key;

    private static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static OperatorException DuplicateCenter(string centerKey) =>
        new(OperatorErrorKind.DuplicateCenter, $"center '{centerKey}' already exists");

    private static OperatorException DuplicateNode(string nodeKey) =>
        new(OperatorErrorKind.DuplicateNode, $"node '{nodeKey}' already exists");

    private static OperatorException DuplicateCertificate(string thumbprint, string? holder) =>
        new(OperatorErrorKind.DuplicateCertificate, holder is null
            ? $"certificate {thumbprint} is already registered"
            : $"certificate {thumbprint} is already registered to node '{holder}'");
}
