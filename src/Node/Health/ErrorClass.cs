using Grpc.Core;

namespace LxAnnotate.Node.Health;

/// <summary>
/// The class of an outbox item's last error, as the heartbeat reports it: the gRPC status code name the sender
/// recorded it under, <c>connection_lost</c>, or <c>other</c>; never the message, which may name a file.
/// </summary>
internal static class ErrorClass
{
    public const string ConnectionLost = "connection_lost";

    public const string Other = "other";

    private static readonly System.Buffers.SearchValues<char> Letters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    public static string? Of(string? lastError)
    {
        if (string.IsNullOrEmpty(lastError))
        {
            return null;
        }

        var colon = lastError.IndexOf(':', StringComparison.Ordinal);
        // Only a bare name before the colon: Enum.TryParse would also take numbers and comma-separated lists.
        if (colon > 0 && lastError.AsSpan(0, colon).ContainsAnyExcept(Letters) is false
            && Enum.TryParse<StatusCode>(lastError.AsSpan(0, colon), ignoreCase: false, out var code) && Enum.IsDefined(code))
        {
            return code.ToString();
        }

        return lastError.StartsWith("connection to the hub lost", StringComparison.Ordinal) ? ConnectionLost : Other;
    }
}
