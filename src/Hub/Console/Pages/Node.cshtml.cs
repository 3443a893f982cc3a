using LxAnnotate.Hub.Operators;
using LxAnnotate.Hub.Operators.Certificates;
using LxAnnotate.Hub.Operators.Enrollment;
using LxAnnotate.Hub.Operators.Nodes;
using Microsoft.AspNetCore.Mvc;

namespace LxAnnotate.Hub.OperatorConsole.Pages;

/// <summary>
/// One node: health, certificates (revoke with a reason), activate/deactivate, and an enrollment token shown once.
/// A node of a center outside the operator's scope is answered as unknown, for reads and changes alike.
/// </summary>
internal sealed class NodeModel(NodeOperations nodes, CertificateOperations certificates, EnrollmentTokenOperations tokens, TimeProvider time)
    : ConsolePage(time)
{
    private static readonly Dictionary<string, string> DoneMessages = new(StringComparer.Ordinal)
    {
        ["added"] = "Node added.",
        ["activated"] = "Node activated.",
        ["deactivated"] = "Node deactivated: its certificates no longer authenticate.",
        ["revoked"] = "Certificate revoked: the hub refuses it from the next call on.",
        ["unchanged"] = "Nothing to change.",
    };

    public NodeView Node { get; private set; } = null!;

    public string? Done { get; private set; }

    public EnrollmentTokenView? Token { get; private set; }

    public async Task<IActionResult> OnGetAsync(string nodeKey, string? done, CancellationToken cancellationToken)
    {
        if (!await TryLoadAsync(nodeKey, cancellationToken))
        {
            return UnknownTarget();
        }

        Done = done is null ? null : DoneMessages.GetValueOrDefault(done);
        return Page();
    }

    public async Task<IActionResult> OnPostActiveAsync(string nodeKey, bool active, CancellationToken cancellationToken)
    {
        if (!await TryLoadAsync(nodeKey, cancellationToken))
        {
            return UnknownTarget();
        }

        return await ChangeAsync(async () =>
        {
            var result = await nodes.SetNodeActiveAsync(nodeKey, active, SignedIn.Actor, cancellationToken);
            return Back(nodeKey, !result.Changed ? "unchanged" : active ? "activated" : "deactivated");
        }, () => TryLoadAsync(nodeKey, cancellationToken));
    }

    public async Task<IActionResult> OnPostRevokeAsync(string nodeKey, string thumbprint, string reason, CancellationToken cancellationToken)
    {
        if (!await TryLoadAsync(nodeKey, cancellationToken))
        {
            return UnknownTarget();
        }

        return await ChangeAsync(async () =>
        {
            var result = await certificates.RevokeCertificateAsync(nodeKey, thumbprint ?? "", reason ?? "", SignedIn.Actor, cancellationToken);
            return Back(nodeKey, result.Changed ? "revoked" : "unchanged");
        }, () => TryLoadAsync(nodeKey, cancellationToken));
    }

    /// <summary>Rendered in the POST's own response, never redirected: the token must not land in a URL or the history.</summary>
    public async Task<IActionResult> OnPostTokenAsync(string nodeKey, string? ttl, CancellationToken cancellationToken)
    {
        if (!await TryLoadAsync(nodeKey, cancellationToken))
        {
            return UnknownTarget();
        }

        return await ChangeAsync(async () =>
        {
            Token = await tokens.CreateEnrollmentTokenAsync(nodeKey, Node.CenterKey, EnrollmentTtl.Parse(ttl), SignedIn.Actor, cancellationToken);
            return Page();
        }, () => TryLoadAsync(nodeKey, cancellationToken));
    }

    private RedirectResult Back(string nodeKey, string done) => Redirect("/console/nodes/" + Uri.EscapeDataString(nodeKey) + "?done=" + done);

    private async Task<bool> TryLoadAsync(string nodeKey, CancellationToken cancellationToken)
    {
        try
        {
            Node = await nodes.ShowNodeAsync(nodeKey ?? "", cancellationToken);
        }
        catch (OperatorException ex) when (ex.Kind is OperatorErrorKind.UnknownNode or OperatorErrorKind.InvalidKey or OperatorErrorKind.InvalidArgument)
        {
            return false;
        }

        return SignedIn.MaySee(Node.CenterKey);
    }
}
