using System.Security.Cryptography.X509Certificates;

namespace LxAnnotate.Bench.LoadGen;

/// <summary>A simulated site node: its key, its center and the client certificate registered for it.</summary>
internal sealed record SiteIdentity(string NodeKey, string CenterKey, X509Certificate2 Certificate);
