using Grpc.Core;

namespace LxAnnotate.Bench.LoadGen;

/// <summary>What one simulated node achieved: artifacts stored, bytes, errors by status, and call latencies.</summary>
internal sealed class NodeTally(string nodeKey, string centerKey, int replica)
{
    public string NodeKey { get; } = nodeKey;

    public string CenterKey { get; } = centerKey;

    public int Replica { get; } = replica;

    public int Stored { get; private set; }

    public long StoredBytes { get; private set; }

    public Dictionary<StatusCode, int> Errors { get; } = [];

    /// <summary>Milliseconds of each <c>Deliver</c> call (a small artifact, declaration and bytes in one call).</summary>
    public List<double> DeliverMs { get; } = [];

    /// <summary>Milliseconds of each <c>Offer</c> call of a large artifact.</summary>
    public List<double> OfferMs { get; } = [];

    /// <summary>Milliseconds of each <c>Upload</c> stream of a large artifact, first byte to receipt.</summary>
    public List<double> UploadMs { get; } = [];

    public void Store(long bytes)
    {
        Stored++;
        StoredBytes += bytes;
    }

    public void Fail(StatusCode code) => Errors[code] = Errors.GetValueOrDefault(code) + 1;
}
