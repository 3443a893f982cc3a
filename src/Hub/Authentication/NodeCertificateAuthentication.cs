using System.Security.Claims;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;
using LxAnnotate.Hub.Configuration;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Shared.Configuration;
using Microsoft.AspNetCore.Authentication.Certificate;
using Microsoft.AspNetCore.Authentication;

namespace LxAnnotate.Hub.Authentication;

/// <summary>
/// Node identity from the client certificate: the chain must end at the configured node CA (custom
/// root trust, not the system store), carry the client-auth EKU and be within its validity period; then
/// its SHA-256 thumbprint must belong to an active certificate of an active node. No validation cache is
/// used, so a revocation or deactivation applies to the very next call.
/// </summary>
internal static class NodeCertificateAuthentication
{
    private const string ClientAuthenticationOid = "1.3.6.1.5.5.7.3.2";

    /// <summary>Resolves and registers <see cref="NodeCertificateOptions"/>, then the certificate scheme when a node CA is configured.</summary>
    public static NodeCertificateOptions AddNodeCertificateAuthentication(this WebApplicationBuilder builder, HubEnvironment environment, DeploymentRole role)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var settings = builder.Services.AddResolvedOptions<NodeCertificateOptions, NodeCertificateOptionsValidator>(
            NodeCertificateOptionsResolver.Resolve(environment, role));
        builder.Services.AddScoped<ActiveNodeCertificates>();
        var authentication = builder.Services.AddAuthentication();
        if (settings.NodeCaFile is null)
        {
            return settings;
        }

        var ca = X509CertificateLoader.LoadCertificateFromFile(settings.NodeCaFile);
        authentication.AddCertificate(CertificateAuthenticationDefaults.AuthenticationScheme, options =>
        {
            options.AllowedCertificateTypes = CertificateTypes.Chained;
            options.ChainTrustValidationMode = X509ChainTrustMode.CustomRootTrust;
            options.CustomTrustStore = [ca];
            options.RevocationMode = X509RevocationMode.NoCheck;
            options.ValidateCertificateUse = true;
            options.ValidateValidityPeriod = true;
            options.Events = new CertificateAuthenticationEvents
            {
                OnAuthenticationFailed = context =>
                {
                    // The cause stays attached: a database outage during the lookup is told apart from a bad
                    // certificate by the callers (UNAVAILABLE, which a node retries, instead of UNAUTHENTICATED).
                    context.Fail(new AuthenticationFailureException(
                        $"The client certificate is not valid for this hub: {context.Exception.Message}", context.Exception));
                    return Task.CompletedTask;
                },
                OnCertificateValidated = ValidateNodeAsync,
            };
        });
        return settings;
    }

    public static string Sha256Thumbprint(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return certificate.GetCertHashString(HashAlgorithmName.SHA256);
    }

    /// <summary>
    /// True when the certificate names the client-auth EKU. The handler accepts certificates without any
    /// EKU; a node certificate must name client auth (also checked when an operator registers one).
    /// </summary>
    public static bool HasClientAuthenticationEku(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var eku = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        return eku is not null && eku.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == ClientAuthenticationOid);
    }

    private static async Task ValidateNodeAsync(CertificateValidatedContext context)
    {
        var certificate = context.ClientCertificate;

        if (!HasClientAuthenticationEku(certificate))
        {
            context.Fail("The client certificate lacks the client-authentication extended key usage.");
            return;
        }

        var thumbprint = Sha256Thumbprint(certificate);
        var certificates = context.HttpContext.RequestServices.GetRequiredService<ActiveNodeCertificates>();
        var match = await certificates.FindAsync(thumbprint, context.HttpContext.RequestAborted);

        if (match is null)
        {
            context.Fail("The client certificate is not registered to any node.");
            return;
        }

        if (match.Status != NodeCertificateStatus.Active)
        {
            context.Fail("The client certificate has been revoked.");
            return;
        }

        if (!match.NodeIsActive)
        {
            context.Fail($"Node '{match.NodeKey}' is deactivated.");
            return;
        }

        context.Principal = new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, match.NodeKey),
                new Claim(NodeClaimTypes.NodeKey, match.NodeKey),
                new Claim(NodeClaimTypes.CenterKey, match.CenterKey),
                new Claim(NodeClaimTypes.Thumbprint, thumbprint),
            ],
            CertificateAuthenticationDefaults.AuthenticationScheme));
        context.Success();
    }
}
