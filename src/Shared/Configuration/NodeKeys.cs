namespace LxAnnotate.Shared.Configuration;

/// <summary>
/// Syntax of a <c>node_key</c>: the same as a <c>center_key</c>. Node keys appear in certificate SANs
/// (<c>urn:lxannotate:node:&lt;node_key&gt;</c>), in provenance and in logs, where the same safe alphabet
/// keeps them unambiguous (and <c>certs-dev/generate.sh</c> checks the same rule).
/// </summary>
public static class NodeKeys
{
    public static bool IsValid(string? key) => CenterKeys.IsValid(key);
}
