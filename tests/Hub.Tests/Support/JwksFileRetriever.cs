using Microsoft.IdentityModel.Protocols;

namespace LxAnnotate.Hub.Tests.Support;

/// <summary>Stands in for the HTTPS document retriever: the JWKS document comes from a file.</summary>
internal sealed class JwksFileRetriever(string path) : IDocumentRetriever
{
    public Task<string> GetDocumentAsync(string address, CancellationToken cancel) => File.ReadAllTextAsync(path, cancel);
}
