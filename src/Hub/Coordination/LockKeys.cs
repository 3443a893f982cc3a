using System.Buffers.Binary;

namespace LxAnnotate.Hub.Coordination;

/// <summary>The 64-bit keys of the hub's advisory locks; every key has one meaning across all replicas.</summary>
internal static class LockKeys
{
    /// <summary>The lease of the periodic work that must run on one replica at a time (the transfer expiry sweep).</summary>
    public const long SingletonLease = 0x4C58_4148_0000_0001; // "LXAH" + 1

    /// <summary>
    /// The exclusive lock of one transfer's Upload stream: both halves of the id folded together. Two transfers
    /// share a key with a chance of 2^-64; the cost would be a retried stream, never interleaved bytes.
    /// </summary>
    public static long Transfer(Guid transferId)
    {
        Span<byte> bytes = stackalloc byte[16];
        transferId.TryWriteBytes(bytes);
        return BinaryPrimitives.ReadInt64LittleEndian(bytes) ^ BinaryPrimitives.ReadInt64LittleEndian(bytes[8..]);
    }
}
