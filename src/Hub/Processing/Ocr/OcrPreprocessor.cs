using LxAnnotate.Hub.Processing.Imaging;

namespace LxAnnotate.Hub.Processing.Ocr;

/// <summary>
/// Prepares a cropped overlay region for Tesseract: upscale small crops (to ≥ <see cref="TargetHeight"/> px),
/// invert light-on-dark text to dark-on-light (decided by the background, i.e. the median), stretch
/// contrast between the 1st and 99th percentile, binarise with Otsu's threshold, and add a white margin.
/// A region with almost no contrast (e.g. painted black) has no text and yields null, so Tesseract is not
/// asked about it.
/// </summary>
internal static class OcrPreprocessor
{
    /// <summary>Crops are scaled up until at least this tall (Tesseract reads glyphs of 20–40 px best).</summary>
    public const int TargetHeight = 96;

    /// <summary>Largest upscale factor.</summary>
    public const double MaxScale = 4.0;

    /// <summary>Minimum spread between dark and light percentiles for a region to hold text.</summary>
    public const int MinContrast = 48;

    /// <summary>The binarised, padded image, or null when the crop has no contrast.</summary>
    public static GrayImage? Prepare(GrayImage crop)
    {
        var histogram = new int[256];
        foreach (var p in crop.Pixels)
        {
            histogram[p]++;
        }
        var count = crop.Pixels.Length;
        var low = Percentile(histogram, count, 0.01);
        var high = Percentile(histogram, count, 0.99);
        if (high - low < MinContrast)
        {
            return null;
        }
        var median = Percentile(histogram, count, 0.5);
        var invert = median < (low + high) / 2;

        var scale = Math.Clamp((double)TargetHeight / crop.Height, 1.0, MaxScale);
        var image = scale > 1.0
            ? crop.Resize((int)Math.Round(crop.Width * scale), (int)Math.Round(crop.Height * scale))
            : crop.Crop(0, 0, crop.Width, crop.Height);

        var lut = new byte[256];
        for (var v = 0; v < 256; v++)
        {
            var stretched = Math.Clamp((v - low) * 255 / Math.Max(1, high - low), 0, 255);
            lut[v] = (byte)(invert ? 255 - stretched : stretched);
        }
        var stretchedHistogram = new int[256];
        var pixels = image.Pixels;
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = lut[pixels[i]];
            stretchedHistogram[pixels[i]]++;
        }
        var threshold = Otsu(stretchedHistogram, pixels.Length);
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = pixels[i] > threshold ? (byte)255 : (byte)0;
        }
        return image.Pad(16, 255);
    }

    private static int Percentile(int[] histogram, int count, double fraction)
    {
        var target = (long)Math.Ceiling(count * fraction);
        long seen = 0;
        for (var v = 0; v < 256; v++)
        {
            seen += histogram[v];
            if (seen >= target && seen > 0)
            {
                return v;
            }
        }
        return 255;
    }

    private static int Otsu(int[] histogram, int count)
    {
        double sum = 0;
        for (var v = 0; v < 256; v++)
        {
            sum += v * (double)histogram[v];
        }
        double sumBackground = 0;
        long weightBackground = 0;
        var best = 0.0;
        var threshold = 127;
        for (var v = 0; v < 256; v++)
        {
            weightBackground += histogram[v];
            if (weightBackground == 0)
            {
                continue;
            }
            var weightForeground = count - weightBackground;
            if (weightForeground == 0)
            {
                break;
            }
            sumBackground += v * (double)histogram[v];
            var meanBackground = sumBackground / weightBackground;
            var meanForeground = (sum - sumBackground) / weightForeground;
            var between = (double)weightBackground * weightForeground * (meanBackground - meanForeground) * (meanBackground - meanForeground);
            if (between > best)
            {
                best = between;
                threshold = v;
            }
        }
        return threshold;
    }
}
