using LxAnnotate.Hub.Domain;

namespace LxAnnotate.Hub.Authentication;

/// <summary>A registered node certificate: its status and the node it belongs to.</summary>
internal sealed record NodeCertificateStanding(NodeCertificateStatus Status, string NodeKey, bool NodeIsActive, string CenterKey)
{
    public bool IsActive => Status == NodeCertificateStatus.Active && NodeIsActive;
}
