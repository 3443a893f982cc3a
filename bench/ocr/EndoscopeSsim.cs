using System.Globalization;
using System.Text;
using LxAnnotate.Hub.Processing.Ocr;
using LxAnnotate.Hub.Processing.Tools;

namespace LxAnnotate.Bench.Ocr;

/// <summary>
/// SSIM of the endoscope picture of the masked video against the input: ffmpeg's <c>ssim</c> filter on both
/// videos cropped to the layout's <c>endoscope_image</c> region (the part masking must leave as it was), per-frame
/// values ("All", the Y/U/V average) written to standard output.
/// </summary>
internal static class EndoscopeSsim
{
    /// <summary>Mean and lowest per-frame SSIM of the region.</summary>
    public static async Task<(double Mean, double Min)> MeasureAsync(ToolRunner tools, string input, string masked, OverlayLayout layout, TimeSpan duration)
    {
        var keep = layout.ScaledTo(layout.ReferenceWidth, layout.ReferenceHeight)[OverlayField.EndoscopeImage];
        var crop = string.Create(CultureInfo.InvariantCulture, $"crop={keep.Width}:{keep.Height}:{keep.X}:{keep.Y}");
        var result = await tools.RunAsync("ffmpeg",
            ["-nostdin", "-v", "error", "-i", input, "-i", masked,
             "-lavfi", $"[0:v]{crop}[a];[1:v]{crop}[b];[a][b]ssim=stats_file=-", "-f", "null", "-"],
            ToolLimits.ForEncode(duration), CancellationToken.None);
        var frames = Encoding.ASCII.GetString(result.Stdout)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ').FirstOrDefault(part => part.StartsWith("All:", StringComparison.Ordinal)))
            .Where(part => part is not null)
            .Select(part => double.Parse(part!.AsSpan(4), CultureInfo.InvariantCulture))
            .ToList();
        return frames.Count > 0 ? (frames.Average(), frames.Min()) : throw new InvalidOperationException("ssim wrote no frame values");
    }
}
