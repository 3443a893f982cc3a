namespace LxAnnotate.Hub.Operators.Secrets;

/// <summary>Result of <c>nodes set-secret</c> / <c>nodes import-secret-hash</c>: never the secret or its hash.</summary>
internal sealed record NodeSecretView(string NodeKey, string CenterKey, string Algorithm, int Iterations, bool Replaced);
