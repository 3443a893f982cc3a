using System.Text.Json.Serialization;
using System.Text.Json;

namespace LxAnnotate.Hub.Domain;

/// <summary>
/// The probe result of a video (first video stream), stored as JSON on the job (<c>upload_jobs.media_info</c>).
/// </summary>
/// <param name="Fps">Frames per second from <c>r_frame_rate</c>, or <c>avg_frame_rate</c> when that is unset.</param>
/// <param name="FrameCount">From the stream's <c>nb_frames</c> when the container records it, else duration × fps rounded.</param>
/// <param name="BitRate">Bits per second of the video stream, else of the container; null when neither is known.</param>
public sealed record VideoMediaInfo(
    int Width,
    int Height,
    double DurationSeconds,
    double Fps,
    long FrameCount,
    string Codec,
    string? PixelFormat,
    long? BitRate)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static VideoMediaInfo FromJson(string json) =>
        JsonSerializer.Deserialize<VideoMediaInfo>(json, JsonOptions) ?? throw new JsonException("media_info is empty.");
}
