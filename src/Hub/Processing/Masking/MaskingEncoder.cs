using FFMpegCore.Enums;

namespace LxAnnotate.Hub.Processing.Masking;

/// <summary>
/// The x264 settings of the masked video. <see cref="Default"/> is the fastest preset whose output keeps the endoscope
/// picture at SSIM ≥ 0.98 against the input with margin (docs/performance.md, "Media processing").
/// </summary>
/// <param name="Preset">x264 speed preset.</param>
/// <param name="Crf">Constant rate factor (lower is better quality and larger files).</param>
internal sealed record MaskingEncoder(EncoderPreset Preset, int Crf)
{
    /// <summary>ultrafast, CRF 20: measured SSIM of the endoscope region ≥ 0.99, half the CPU of veryfast, files about twice as large.</summary>
    public static MaskingEncoder Default { get; } = new(EncoderPreset.UltraFast, 20);

    /// <summary>The settings before the speed work (veryfast, CRF 18), kept for the benchmark's baseline.</summary>
    public static MaskingEncoder Previous { get; } = new(EncoderPreset.VeryFast, 18);
}
