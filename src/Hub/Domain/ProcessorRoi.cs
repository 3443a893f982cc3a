namespace LxAnnotate.Hub.Domain;

/// <summary>A rectangle of a processor's frame in that processor's reference pixels (top-left origin).</summary>
public sealed record ProcessorRoi(int X, int Y, int Width, int Height);
