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

    public static string? Of(string? lastError)
    {
        if (string.IsNullOrEmpty(lastError))
        {
            return null;
        }

        var colon = lastError.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && Enum.TryParse<StatusCode>(lastError.AsSpan(0, colon), ignoreCase: false, out var code) && Enum.IsDefined(code)
            && !char.IsDigit(lastError[0]))
        {
            return code.ToString();
        }

        return lastError.StartsWith("connection to the hub lost", StringComparison.Ordinal) ? ConnectionLost : Other;
    }
}
