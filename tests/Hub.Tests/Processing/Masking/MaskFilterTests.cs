using LxAnnotate.Hub.Processing.Masking;
using LxAnnotate.Hub.Processing.Ocr;
using LxAnnotate.TestSupport;

namespace LxAnnotate.Hub.Tests.Processing.Masking;

public sealed class MaskFilterTests
{
    [Fact]
    public void Boxes_Olympus1080p_PaintsLeftAndRightBandsOnly()
    {
        var boxes = MaskFilter.Boxes(OverlayLayouts.OlympusCv1500, 1920, 1080);

        Assert.Equal([new RoiRect(0, 0, 550, 1080), new RoiRect(1900, 0, 20, 1080)], boxes);
    }

    [Fact]
    public void Boxes_Olympus720p_ScalesTheKeptRegion()
    {
        var boxes = MaskFilter.Boxes(OverlayLayouts.OlympusCv1500, 1280, 720);

        // 550 * 2/3 = 366.67 → the kept region starts at 366, ends at ceil(1900 * 2/3) = 1267.
        Assert.Equal([new RoiRect(0, 0, 366, 720), new RoiRect(1267, 0, 13, 720)], boxes);
    }

    [Fact]
    public void Boxes_KeptRegionInside_PaintsFourBands()
    {
        var layout = new OverlayLayout("inner", 100, 100, new Dictionary<OverlayField, RoiRect> { [OverlayField.EndoscopeImage] = new(10, 20, 50, 40) });

        var boxes = MaskFilter.Boxes(layout, 100, 100);

        Assert.Equal([new RoiRect(0, 0, 100, 20), new RoiRect(0, 60, 100, 40), new RoiRect(0, 20, 10, 40), new RoiRect(60, 20, 40, 40)], boxes);
        Assert.Equal(100 * 100 - (50 * 40), boxes.Sum(b => b.Width * b.Height));
    }

    [Fact]
    public void Build_NoBoxes_IsNullFilter()
    {
        Assert.Equal("null", MaskFilter.Build([]));
    }

    [Fact]
    public void Build_Boxes_AreFilledDrawboxes()
    {
        Assert.Equal("drawbox=x=0:y=0:w=550:h=1080:color=black:t=fill,drawbox=x=1900:y=0:w=20:h=1080:color=black:t=fill",
            MaskFilter.Build(MaskFilter.Boxes(OverlayLayouts.OlympusCv1500, 1920, 1080)));
    }
    [Fact]
    public void KeptRegion_Olympus720p_EdgesMovedInwardsToEvenPixels()
    {
        // The scaled region is x 366…1267 (see Boxes_Olympus720p_ScalesTheKeptRegion); 1267 is odd, so 1266.
        Assert.Equal(new RoiRect(366, 0, 900, 720), MaskFilter.KeptRegion(OverlayLayouts.OlympusCv1500, 1280, 720));
    }

    [Fact]
    public void KeptRegion_OddEdgesOnAllSides_InsideTheRegionAndEven()
    {
        var keep = MaskFilter.KeptRegion(Inner(11, 21, 51, 41), 100, 100);

        Assert.Equal(new RoiRect(12, 22, 50, 40), keep);
    }

    [Fact]
    public void EncodeFilters_WholeFrameKept_NoFilter_NothingKept_AllBlack()
    {
        Assert.Empty(MaskFilter.EncodeFilters(Inner(0, 0, 100, 100), 100, 100));
        Assert.Equal([("drawbox", "x=0:y=0:w=100:h=100:color=black:t=fill")], MaskFilter.EncodeFilters(Inner(11, 11, 1, 1), 100, 100));
    }

    [Fact]
    public async Task EncodeFilters_CropAndPad_PaintExactlyWhatTheBoxesPaint()
    {
        var layout = Inner(10, 20, 150, 100, 320, 240);
        var cropPad = string.Join(',', MaskFilter.EncodeFilters(layout, 320, 240).Select(f => f.Name + "=" + f.Options));
        Assert.StartsWith("crop=", cropPad, StringComparison.Ordinal);

        var drawn = await FrameHashesAsync(MaskFilter.Build(MaskFilter.Boxes(layout, 320, 240)));
        var padded = await FrameHashesAsync(cropPad);

        Assert.Equal(5, drawn.Count);
        Assert.Equal(drawn, padded);
    }

    private static async Task<List<string>> FrameHashesAsync(string filter)
    {
        var result = await ProcessRunner.RunAsync("ffmpeg",
            ["-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc2=s=320x240:r=5:d=1", "-vf", "format=yuv420p," + filter, "-f", "framemd5", "-"],
            new Dictionary<string, string?>(), TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, result.StandardError);
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(line => !line.StartsWith('#')).ToList();
    }

    private static OverlayLayout Inner(int x, int y, int width, int height, int frameWidth = 100, int frameHeight = 100) =>
        new("inner", frameWidth, frameHeight, new Dictionary<OverlayField, RoiRect> { [OverlayField.EndoscopeImage] = new(x, y, width, height) });
}
