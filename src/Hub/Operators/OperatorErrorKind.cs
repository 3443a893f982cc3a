namespace LxAnnotate.Hub.Operators;

/// <summary>Why an operator command refused; each is exit code 1 with one line on stderr.</summary>
internal enum OperatorErrorKind
{
    InvalidArgument,
    InvalidKey,
    SchemaNotCurrent,
    UnknownCenter,
    DuplicateCenter,
    UnknownNode,
    DuplicateNode,
    NodeInOtherCenter,
    UnknownCertificate,
    DuplicateCertificate,
    CertificateUnreadable,
    CertificateIsCa,
    CertificateNotFromNodeCa,
    CertificateWithoutClientAuth,
    CertificateExpired,
    CertificateForOtherNode,
    UnknownJob,
    JobNotRetryable,
    UnknownProcessor,
    DuplicateProcessor,
}
