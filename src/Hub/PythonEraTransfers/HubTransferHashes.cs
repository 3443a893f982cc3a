using System.Text.RegularExpressions;

namespace LxAnnotate.Hub.PythonEraTransfers;

/// <summary>The one form a hash takes in a transfer payload: 64 lower-case hexadecimal characters.</summary>
internal static partial class HubTransferHashes
{
    public static bool IsSha256(string value) => Sha256Hex().IsMatch(value);

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Hex();
}
