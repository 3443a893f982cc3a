namespace LxAnnotate.Hub.Operators.Enrollment;

/// <summary>What <c>nodes enroll</c> prints: the token itself is shown once and never stored.</summary>
internal sealed record EnrollmentTokenView(string NodeKey, string CenterKey, string Token, DateTimeOffset ExpiresAt, bool NodeCreated);
