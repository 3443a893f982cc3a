using LxAnnotate.Hub.Processing.Masking;
using LxAnnotate.Hub.Processing.Ocr;

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
}
