using System.Security.Cryptography;
using LxAnnotate.Shared.Protos.V1;

namespace LxAnnotate.EndToEnd.Tests.Replicas;

/// <summary>The offer of a video of center-a, as a site node sends it.</summary>
internal static class ReplicaOffers
{
    public static OfferRequest For(byte[] content) => new()
    {
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)),
        Size = content.Length,
        ContentType = "video/mp4",
        OriginalFilename = "case.mp4",
        CenterKey = "center-a",
        SourceSystem = "endoscopy",
    };
}
