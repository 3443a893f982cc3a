using System.Globalization;

namespace LxAnnotate.Hub.OperatorConsole;

/// <summary>How the pages write a transfer's progress; <see cref="ConsoleLiveScript"/> writes the same text when it updates a cell.</summary>
internal static class ProgressText
{
    public static string Received(long receivedBytes, long sizeBytes, int percent) =>
        string.Create(CultureInfo.InvariantCulture, $"{receivedBytes:N0} of {sizeBytes:N0} B ({percent} %)");

    /// <summary>What a page can tell when loaded: the average since the first byte; the live script replaces it with the current rate.</summary>
    public static string AverageRate(long bytesPerSecond) =>
        string.Create(CultureInfo.InvariantCulture, $"{bytesPerSecond:N0} B/s average");
}
