using LxAnnotate.Hub.Processing.Media;

namespace LxAnnotate.Hub.Processing.Masking;

/// <summary>
/// Where the masking self-check reads the output: <see cref="VideoMasker.SelfCheckFrames"/> evenly spread times from
/// the first frame (<see cref="VideoFrames.SampleTimes"/>), each moved onto a frame of the input's frame rate, so the
/// encode can make exactly that frame a keyframe. A pure function.
/// </summary>
internal static class SelfCheckSchedule
{
    /// <summary>
    /// The points for a video of <paramref name="input"/>'s duration and frame rate; distinct frames only. The first is
    /// always the frame at 0, grabbed at 0 (a seek past the only frame of a one-frame video yields nothing). With an
    /// unknown frame rate the sample times are used as they are.
    /// </summary>
    public static IReadOnlyList<SelfCheckPoint> For(VideoShape input, int frames)
    {
        ArgumentNullException.ThrowIfNull(input);
        var times = VideoFrames.SampleTimes(input.Duration, frames);
        if (!double.IsFinite(input.Fps) || input.Fps <= 0)
        {
            return times.Select(t => new SelfCheckPoint(t, t)).ToList();
        }
        var lastFrame = Math.Max(0, (long)Math.Floor(input.Duration.TotalSeconds * input.Fps) - 1);
        return times
            .Select(t => Math.Min(lastFrame, (long)Math.Round(t.TotalSeconds * input.Fps)))
            .Distinct()
            .Select(n => new SelfCheckPoint(
                TimeSpan.FromSeconds(n / input.Fps),
                n == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((n + 0.5) / input.Fps)))
            .ToList();
    }
}
