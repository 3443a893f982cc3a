using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace LxAnnotate.Shared.Configuration;

/// <summary>
/// Syntax of a <c>node_key</c>: the same as a <c>center_key</c>. Node keys appear in certificate SANs
/// (<c>urn:lxannotate:node:&lt;node_key&gt;</c>), in provenance and in logs, where the same safe alphabet
/// keeps them unambiguous (and <c>certs-dev/generate.sh</c> checks the same rule).
/// </summary>
public static class NodeKeys
{
    /// <summary>Prefix of the URI subject alternative name that names a node in its certificate.</summary>
    public const string UriPrefix = "urn:lxannotate:node:";

    /// <summary>OID of the subject alternative name extension.</summary>
    public const string SubjectAlternativeNameOid = "2.5.29.17";

    private static readonly Asn1Tag UriTag = new(TagClass.ContextSpecific, 6);

    public static bool IsValid(string? key) => CenterKeys.IsValid(key);

    /// <summary>The URI that names <paramref name="nodeKey"/> in a certificate or request.</summary>
    public static Uri ToUri(string nodeKey) => new(UriPrefix + nodeKey);

    /// <summary>Node keys in <c>urn:lxannotate:node:KEY</c> URIs of <paramref name="certificate"/>'s subject alternative name.</summary>
    public static IReadOnlyList<string> NamedIn(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return NamedIn(certificate.Extensions[SubjectAlternativeNameOid]);
    }

    /// <summary>
    /// Node keys in the URIs of a subject-alternative-name extension (of a certificate or a CSR); none for null
    /// or for a malformed extension (which TLS libraries refuse anyway).
    /// </summary>
    public static IReadOnlyList<string> NamedIn(X509Extension? extension)
    {
        var keys = new List<string>();
        if (extension is null)
        {
            return keys;
        }

        try
        {
            var names = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
            while (names.HasData)
            {
                var tag = names.PeekTag();
                if (!tag.HasSameClassAndValue(UriTag))
                {
                    names.ReadEncodedValue();
                    continue;
                }

                var uri = names.ReadCharacterString(UniversalTagNumber.IA5String, tag);
                if (uri.StartsWith(UriPrefix, StringComparison.Ordinal))
                {
                    keys.Add(uri[UriPrefix.Length..]);
                }
            }
        }
        catch (AsnContentException)
        {
            return [];
        }

        return keys;
    }
}
