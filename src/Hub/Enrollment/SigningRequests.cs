using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LxAnnotate.Hub.Operators;
using LxAnnotate.Hub.Operators.Certificates;

namespace LxAnnotate.Hub.Enrollment;

/// <summary>
/// Checks a node's PKCS#10 request before the hub signs anything: readable, self-signature valid (proof that
/// the sender holds the private key), a key strong enough, and naming exactly the node the credential
/// (token or client certificate) belongs to, so one node's credential never yields another node's certificate.
/// </summary>
internal static class SigningRequests
{
    /// <summary>A PEM CSR is a few hundred bytes; anything far larger is not one.</summary>
    private const int MaxPemLength = 16 * 1024;

    private const int MinRsaBits = 2048;
    private const string CommonNameOid = "2.5.4.3";
    private const string P256Oid = "1.2.840.10045.3.1.7";
    private const string P384Oid = "1.3.132.0.34";

    /// <returns>The request's public key, to be put into the certificate the hub builds itself.</returns>
    public static PublicKey Check(string? csrPem, string nodeKey)
    {
        if (string.IsNullOrWhiteSpace(csrPem) || csrPem.Length > MaxPemLength)
        {
            throw Invalid("csr_pem must be a PEM certificate signing request (PKCS#10)");
        }

        CertificateRequest request;
        try
        {
            // Parsed first without the signature check, so a bad signature gets its own message.
            request = Load(csrPem, CertificateRequestLoadOptions.SkipSignatureValidation | CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw Invalid("csr_pem is not a readable PEM certificate signing request (PKCS#10)");
        }

        try
        {
            Load(csrPem, CertificateRequestLoadOptions.Default);
        }
        catch (CryptographicException)
        {
            throw Invalid("the certificate signing request's signature does not verify");
        }

        CheckKey(request.PublicKey);
        CheckNames(request, nodeKey);
        return request.PublicKey;
    }

    private static CertificateRequest Load(string pem, CertificateRequestLoadOptions options) =>
        CertificateRequest.LoadSigningRequestPem(pem, HashAlgorithmName.SHA256, options);

    private static void CheckKey(PublicKey key)
    {
        using var rsa = key.GetRSAPublicKey();
        if (rsa is not null)
        {
            if (rsa.KeySize < MinRsaBits)
            {
                throw Invalid($"the key is too weak: RSA {rsa.KeySize} bits; use ECDSA P-256/P-384 or RSA of at least {MinRsaBits} bits");
            }

            return;
        }

        using var ecdsa = key.GetECDsaPublicKey();
        var curve = ecdsa is null ? null : NamedCurve(key);
        if (curve is not (P256Oid or P384Oid))
        {
            throw Invalid("unsupported key: use ECDSA P-256/P-384 or RSA of at least 2048 bits");
        }
    }

    /// <summary>The named-curve OID of an EC public key's parameters; null for explicit curves (refused).</summary>
    private static string? NamedCurve(PublicKey key)
    {
        try
        {
            return new AsnReader(key.EncodedParameters?.RawData ?? [], AsnEncodingRules.DER).ReadObjectIdentifier();
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    private static void CheckNames(CertificateRequest request, string nodeKey)
    {
        var names = request.SubjectName.EnumerateRelativeDistinguishedNames().ToList();
        if (names.Any(rdn => rdn.HasMultipleElements))
        {
            // A multi-valued RDN could hide a second CN; a node's subject is just CN=<node key>.
            throw Invalid("the certificate signing request's subject must be CN=<node key>, without multi-valued names");
        }

        var commonNames = names
            .Where(rdn => rdn.GetSingleElementType().Value == CommonNameOid)
            .Select(rdn => rdn.GetSingleElementValue())
            .ToList();
        if (commonNames.Count != 1 || !string.Equals(commonNames[0], nodeKey, StringComparison.Ordinal))
        {
            throw new EnrollmentException(EnrollmentErrorKind.WrongNode,
                $"the certificate signing request must have the subject CN={nodeKey}, the node this credential belongs to");
        }

        var san = request.CertificateExtensions.FirstOrDefault(e => e.Oid?.Value == NodeCertificateInspector.SubjectAlternativeNameOid);
        var named = NodeCertificateInspector.NodeKeysNamedIn(san);
        if (named.Any(k => !string.Equals(k, nodeKey, StringComparison.Ordinal)))
        {
            throw new EnrollmentException(EnrollmentErrorKind.WrongNode,
                $"the certificate signing request names another node in its subject alternative name; this credential is for node '{nodeKey}'");
        }
    }

    private static EnrollmentException Invalid(string message) => new(EnrollmentErrorKind.InvalidRequest, message);
}
