using LxAnnotate.Hub.Domain;

namespace LxAnnotate.Hub.Processing.Media;

/// <summary>
/// Frame size, duration and frame rate (0 when unknown) of a video, as masking needs them; taken from the job's
/// probe so no stage probes the input again.
/// </summary>
internal sealed record VideoShape(int Width, int Height, TimeSpan Duration, double Fps)
{
    /// <summary>The shape of the job's probe result.</summary>
    public static VideoShape From(VideoMediaInfo media)
    {
        ArgumentNullException.ThrowIfNull(media);
        return new VideoShape(media.Width, media.Height, TimeSpan.FromSeconds(media.DurationSeconds), media.Fps);
    }

    /// <summary>The shape of a <see cref="VideoFrames.ProbeAsync"/> result.</summary>
    public static VideoShape From(VideoInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return new VideoShape(info.Width, info.Height, info.Duration, info.Fps);
    }
}
