using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LxAnnotate.Shared.Configuration;

namespace LxAnnotate.Node.Enrollment;

/// <summary>
/// The node's side of enrollment and renewal: the key pair is made here and only a CSR leaves the host; the
/// certificate the hub returns is checked against that key before anything is written, and files are
/// written whole (temporary file, fsync, rename) so a crash never leaves half a key or certificate.
/// </summary>
internal static class NodeCredentials
{
    /// <summary>A new ECDSA P-256 key and a CSR for <paramref name="nodeKey"/> (CN and node URI SAN), signed with it.</summary>
    public static (ECDsa Key, string CsrPem) NewKeyAndRequest(string nodeKey)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(nodeKey);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(NodeKeys.ToUri(nodeKey));
        request.CertificateExtensions.Add(san.Build());
        return (key, request.CreateSigningRequestPem());
    }

    /// <summary>
    /// The certificate from the hub, checked: it holds our public key, names our node and chains to the CA
    /// the hub sent. Anything else means the reply is not for us, and nothing is written.
    /// </summary>
    public static X509Certificate2 Accept(string certificatePem, string caPem, ECDsa key, string nodeKey)
    {
        using var issued = X509Certificate2.CreateFromPem(certificatePem);
        X509Certificate2 withKey;
        try
        {
            withKey = issued.CopyWithPrivateKey(key);
        }
        catch (ArgumentException)
        {
            throw new InvalidDataException("the hub returned a certificate for another key");
        }

        if (!string.Equals(issued.GetNameInfo(X509NameType.SimpleName, false), nodeKey, StringComparison.Ordinal))
        {
            withKey.Dispose();
            throw new InvalidDataException($"the hub returned a certificate that is not for node '{nodeKey}'");
        }

        using var ca = X509Certificate2.CreateFromPem(caPem);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (!chain.Build(issued))
        {
            withKey.Dispose();
            throw new InvalidDataException("the certificate from the hub does not chain to the node CA it sent");
        }

        return withKey;
    }

    /// <summary>The node a certificate is for: its <c>urn:lxannotate:node:</c> SAN, else its CN; null when neither is a node key.</summary>
    public static string? NodeKeyOf(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (NodeKeys.NamedIn(certificate) is [var named, ..])
        {
            return named;
        }

        var cn = certificate.GetNameInfo(X509NameType.SimpleName, false);
        return NodeKeys.IsValid(cn) ? cn : null;
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> through a temporary file, fsync and rename.</summary>
    /// <param name="secret">Private key: the file is created owner-only (0600) before a byte is written.</param>
    public static void WriteAtomically(string path, string content, bool secret)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = secret
                    ? UnixFileMode.UserRead | UnixFileMode.UserWrite
                    : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
            }

            using (var stream = new FileStream(temporary, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(content);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
