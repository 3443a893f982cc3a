namespace LxAnnotate.Shared.Domain;

public enum NodeCertificateStatus
{
    Active,
    Revoked,
}
