namespace LxAnnotate.Hub.Domain;

public enum NodeCertificateStatus
{
    Active,
    Revoked,
}
