using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LxAnnotate.Hub.Authentication;
using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Hub.Operators.Certificates;

/// <summary>
/// Checks a certificate an operator registers for a node against what the hub will demand of it at
/// authentication (<see cref="NodeCertificateAuthentication"/>), so a certificate that could never
/// authenticate is refused when it is registered rather than discovered at the first transfer.
/// </summary>
internal static class NodeCertificateInspector
{
    public const string SubjectAlternativeNameOid = NodeKeys.SubjectAlternativeNameOid;
    public const string NodeUriPrefix = NodeKeys.UriPrefix;

    /// <param name="pemFile">The node's certificate, PEM; further certificates in the file are used as intermediates.</param>
    public static CertificateFacts Inspect(string pemFile, X509Certificate2 nodeCa, string nodeKey, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(nodeCa);

        var certificates = Load(pemFile);
        try
        {
            var leaf = certificates[0];
            if (leaf.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority))
            {
                throw new OperatorException(OperatorErrorKind.CertificateIsCa,
                    $"'{pemFile}' is a CA certificate, not a node certificate");
            }

            if (!ChainsTo(leaf, nodeCa, certificates.Skip(1), now))
            {
                throw new OperatorException(OperatorErrorKind.CertificateNotFromNodeCa,
                    $"'{pemFile}' is not signed by the node CA ({nodeCa.Subject})");
            }

            if (!NodeCertificateAuthentication.HasClientAuthenticationEku(leaf))
            {
                throw new OperatorException(OperatorErrorKind.CertificateWithoutClientAuth,
                    $"'{pemFile}' lacks the client-authentication extended key usage (clientAuth)");
            }

            var facts = CertificateFacts.Of(leaf);
            if (facts.NotAfter <= now)
            {
                throw new OperatorException(OperatorErrorKind.CertificateExpired,
                    $"'{pemFile}' expired on {facts.NotAfter.ToString("u", CultureInfo.InvariantCulture)}");
            }

            // A certificate made for another node, registered here by mistake, would let that node send
            // as this node's center; certificates from other PKIs name no node and are accepted.
            var named = NodeKeysNamedIn(leaf);
            if (named.Count > 0 && !named.Contains(nodeKey, StringComparer.Ordinal))
            {
                throw new OperatorException(OperatorErrorKind.CertificateForOtherNode,
                    $"'{pemFile}' is issued to node '{named[0]}', not '{nodeKey}'");
            }

            return facts;
        }
        finally
        {
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }
        }
    }

    /// <summary>Node keys in <c>urn:lxannotate:node:KEY</c> URIs of the subject alternative name.</summary>
    public static IReadOnlyList<string> NodeKeysNamedIn(X509Certificate2 certificate) => NodeKeys.NamedIn(certificate);

    /// <summary>Node keys in the URIs of a subject-alternative-name extension (of a certificate or a CSR); none for null.</summary>
    public static IReadOnlyList<string> NodeKeysNamedIn(X509Extension? extension) => NodeKeys.NamedIn(extension);

    private static X509Certificate2Collection Load(string pemFile)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(pemFile);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new OperatorException(OperatorErrorKind.CertificateUnreadable, $"'{pemFile}' does not exist");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OperatorException(OperatorErrorKind.CertificateUnreadable, $"cannot read '{pemFile}': {ex.Message}");
        }
        catch (CryptographicException)
        {
            DisposeAll(certificates);
            throw new OperatorException(OperatorErrorKind.CertificateUnreadable, $"'{pemFile}' holds no readable PEM certificate");
        }

        if (certificates.Count == 0)
        {
            throw new OperatorException(OperatorErrorKind.CertificateUnreadable, $"'{pemFile}' holds no PEM certificate");
        }

        return certificates;
    }

    /// <summary>
    /// Custom root trust with the node CA as the only anchor, like the hub. Validity is judged separately
    /// (to say "expired" rather than "not signed"); revocation is the hub's own list, not CRLs.
    /// </summary>
    private static bool ChainsTo(X509Certificate2 leaf, X509Certificate2 nodeCa, IEnumerable<X509Certificate2> intermediates, DateTimeOffset now)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(nodeCa);
        chain.ChainPolicy.ExtraStore.AddRange(intermediates.ToArray());
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid | X509VerificationFlags.IgnoreCtlNotTimeValid;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        return chain.Build(leaf);
    }


    private static void DisposeAll(X509Certificate2Collection certificates)
    {
        foreach (var certificate in certificates)
        {
            certificate.Dispose();
        }
    }
}
