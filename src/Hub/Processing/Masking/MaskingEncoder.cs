using FFMpegCore.Enums;

namespace LxAnnotate.Hub.Processing.Masking;

/// <summary>
/// How the masked video is encoded. <see cref="Default"/> is the fastest x264 preset whose output keeps the endoscope
/// picture at SSIM ≥ 0.98 against the input with margin, masking by crop and pad, keyframes where the self-check reads
/// (docs/performance.md, "Media processing"); <see cref="Previous"/> is the encode before that work, kept so the
/// benchmark can measure against it in the same run.
/// </summary>
/// <param name="Preset">x264 speed preset.</param>
/// <param name="Crf">Constant rate factor (lower is better quality and larger files).</param>
/// <param name="SelfCheckKeyFrames">Force a keyframe at each frame the self-check reads, so each grab decodes one or two frames.</param>
/// <param name="CropAndPad">Mask with <c>crop</c>+<c>pad</c> (<see cref="MaskFilter.EncodeFilters"/>) rather than filled <c>drawbox</c>es; the same pixels.</param>
internal sealed record MaskingEncoder(EncoderPreset Preset, int Crf, bool SelfCheckKeyFrames = true, bool CropAndPad = true)
{
    /// <summary>ultrafast, CRF 20, crop and pad, self-check keyframes.</summary>
    public static MaskingEncoder Default { get; } = new(EncoderPreset.UltraFast, 20);

    /// <summary>veryfast, CRF 18, drawboxes, no forced keyframes: the encode before the speed work.</summary>
    public static MaskingEncoder Previous { get; } = new(EncoderPreset.VeryFast, 18, SelfCheckKeyFrames: false, CropAndPad: false);
}
