using System.Globalization;
using LxAnnotate.Hub.Operators.Centers;
using LxAnnotate.Hub.Operators.Certificates;
using LxAnnotate.Hub.Operators.Enrollment;
using LxAnnotate.Hub.Operators.Nodes;
using LxAnnotate.Hub.Operators.Secrets;

namespace LxAnnotate.Hub.Cli;

/// <summary>The human-readable output of the operator commands (scripts use <c>--json</c>).</summary>
internal static class OperatorText
{
    private const string ColumnGap = "  ";

    public static void CenterAdded(CenterView center, TextWriter output) =>
        output.WriteLine($"Added center {center.CenterKey} ({center.Name}).");

    public static void Centers(IReadOnlyList<CenterView> centers, TextWriter output)
    {
        if (centers.Count == 0)
        {
            output.WriteLine("No centers.");
            return;
        }

        WriteTable(output, "", ["CENTER", "NAME", "DISPLAY NAME", "CREATED"],
            centers.Select(c => new[] { c.CenterKey, c.Name, c.DisplayName ?? "", Time(c.CreatedAt) }));
    }

    public static void NodeAdded(NodeView node, TextWriter output) =>
        output.WriteLine($"Added node {node.NodeKey} to center {node.CenterKey}; register its certificate with 'lxa-hub nodes cert add {node.NodeKey} FILE.pem'.");

    public static void EnrollmentToken(EnrollmentTokenView token, TextWriter output)
    {
        var added = token.NodeCreated ? $"Added node {token.NodeKey} to center {token.CenterKey}. " : "";
        output.WriteLine($"{added}Enrollment token for node {token.NodeKey}, single use, valid until {Time(token.ExpiresAt)}:");
        output.WriteLine(token.Token);
        output.WriteLine("On the node: lxa-node enroll --hub https://HUB:API_PORT --token TOKEN");
    }

    public static void Nodes(IReadOnlyList<NodeView> nodes, TextWriter output)
    {
        if (nodes.Count == 0)
        {
            output.WriteLine("No nodes.");
            return;
        }

        foreach (var node in nodes)
        {
            Node(node, output);
        }
    }

    public static void Node(NodeView node, TextWriter output)
    {
        var display = node.DisplayName is null ? "" : $"  \"{node.DisplayName}\"";
        output.WriteLine($"{node.NodeKey}  center {node.CenterKey}  {(node.Active ? "active" : "inactive")}{display}");
        output.WriteLine("    " + NodeHealthText.Describe(node.Health));
        if (node.Certificates.Count == 0)
        {
            output.WriteLine("    no certificates");
            return;
        }

        WriteCertificateTable(output, "    ", node.Certificates);
    }

    public static void NodeActivation(NodeActivation activation, TextWriter output)
    {
        var state = activation.Node.Active ? "active" : "inactive";
        output.WriteLine(activation.Changed
            ? $"Node {activation.Node.NodeKey} is now {state}."
            : $"Node {activation.Node.NodeKey} was already {state}; nothing changed.");
    }

    public static void CertificateAdded(CertificateView certificate, TextWriter output)
    {
        output.WriteLine($"Registered certificate {certificate.Thumbprint} for node {certificate.NodeKey}.");
        output.WriteLine($"subject {certificate.Subject}, serial {certificate.SerialNumber}, valid until {Time(certificate.NotAfter)} ({certificate.Status}).");
    }

    public static void Certificates(IReadOnlyList<CertificateView> certificates, TextWriter output)
    {
        if (certificates.Count == 0)
        {
            output.WriteLine("No certificates.");
            return;
        }

        WriteCertificateTable(output, "", certificates);
    }

    public static void CertificateRevocation(CertificateRevocation revocation, TextWriter output)
    {
        var certificate = revocation.Certificate;
        output.WriteLine(revocation.Changed
            ? $"Revoked certificate {certificate.Thumbprint} of node {certificate.NodeKey}."
            : $"Certificate {certificate.Thumbprint} of node {certificate.NodeKey} was already revoked on {Time(certificate.RevokedAt!.Value)} ({certificate.RevocationReason}); nothing changed.");
    }

    private static void WriteCertificateTable(TextWriter output, string indent, IReadOnlyList<CertificateView> certificates) =>
        WriteTable(output, indent, ["THUMBPRINT", "STATUS", "NOT AFTER", "SERIAL", "SUBJECT", "REVOKED"],
            certificates.Select(c => new[]
            {
                c.Thumbprint,
                c.Status,
                Time(c.NotAfter),
                c.SerialNumber,
                c.Subject,
                c.RevokedAt is { } revokedAt ? $"{Time(revokedAt)} {c.RevocationReason}" : "",
            }));

    internal static void WriteTable(TextWriter output, string indent, string[] header, IEnumerable<string[]> rows)
    {
        var all = rows.Prepend(header).ToList();
        var widths = header.Select((_, column) => all.Max(row => row[column].Length)).ToArray();
        foreach (var row in all)
        {
            var cells = row.Select((cell, column) => column == row.Length - 1 ? cell : cell.PadRight(widths[column]));
            output.WriteLine((indent + string.Join(ColumnGap, cells)).TrimEnd());
        }
    }

    internal static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("u", CultureInfo.InvariantCulture);

    public static void NodeSecret(NodeSecretView secret, TextWriter output) =>
        output.WriteLine($"{(secret.Replaced ? "Replaced" : "Set")} the hub transfer secret of node {secret.NodeKey} (center {secret.CenterKey}; {secret.Algorithm}, {secret.Iterations.ToString(CultureInfo.InvariantCulture)} iterations).");
}
