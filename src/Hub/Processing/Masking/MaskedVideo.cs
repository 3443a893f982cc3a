using LxAnnotate.Hub.Processing.Media;

namespace LxAnnotate.Hub.Processing.Masking;

/// <summary>A masked video that passed its checks.</summary>
/// <param name="Path">Where it was written.</param>
/// <param name="SizeBytes">Its size.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the file (the job's <c>processed_video_hash</c>).</param>
/// <param name="Info">Frame size, duration and audio presence of the output.</param>
internal sealed record MaskedVideo(string Path, long SizeBytes, string Sha256, VideoInfo Info);
