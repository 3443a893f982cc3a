using System.Globalization;

namespace LxAnnotate.Shared.Configuration;

/// <summary>One server of a PostgreSQL connection: a host name, address or socket directory, and its port.</summary>
internal readonly record struct PostgresEndpoint(string Host, int Port)
{
    /// <summary>As Npgsql reads one entry of a multi-host <c>Host</c> list: an IPv6 address in brackets.</summary>
    public string ToNpgsql() => string.Create(CultureInfo.InvariantCulture, $"{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port}");

    /// <summary>As the host part of a URL: an IPv6 address in brackets, a socket directory percent-encoded.</summary>
    public string ToUrl()
    {
        string host = Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]"
            : Host.Contains('/', StringComparison.Ordinal) ? Uri.EscapeDataString(Host)
            : Host;
        return string.Create(CultureInfo.InvariantCulture, $"{host}:{Port}");
    }
}
