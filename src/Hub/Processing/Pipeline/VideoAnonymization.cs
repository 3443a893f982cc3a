namespace LxAnnotate.Hub.Processing.Pipeline;

/// <summary>Result of <see cref="IVideoAnonymizer"/>: the overlay values and the checked masked video.</summary>
/// <param name="ProcessedVideoHash">Lower-case hex SHA-256 of the masked video at <c>outputPath</c>.</param>
internal sealed record VideoAnonymization(SensitiveValues Values, string ProcessedVideoHash);
