namespace LxAnnotate.Hub.Processing.Media;

/// <summary>What the processing components need to know of a video: frame size, duration, audio presence, frame rate (0 when unknown).</summary>
internal sealed record VideoInfo(int Width, int Height, TimeSpan Duration, bool HasAudio, double Fps = 0);
