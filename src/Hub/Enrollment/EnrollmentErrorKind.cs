namespace LxAnnotate.Hub.Enrollment;

/// <summary>Why the hub refused to issue a certificate; <see cref="EnrollmentGrpcService"/> maps each to a status code.</summary>
internal enum EnrollmentErrorKind
{
    /// <summary>No node-CA key configured: <c>FAILED_PRECONDITION</c>.</summary>
    NotConfigured,

    /// <summary>Unknown, used or expired token: <c>UNAUTHENTICATED</c> (the token is the credential).</summary>
    InvalidToken,

    /// <summary>Unreadable CSR, bad signature, weak or unsupported key: <c>INVALID_ARGUMENT</c>.</summary>
    InvalidRequest,

    /// <summary>The CSR names another node than the token's or the caller's: <c>PERMISSION_DENIED</c>.</summary>
    WrongNode,

    /// <summary>The node is deactivated, or the CA cannot issue now: <c>FAILED_PRECONDITION</c>.</summary>
    NotIssuable,
}
