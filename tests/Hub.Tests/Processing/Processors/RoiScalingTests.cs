using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Processing.Processors;

namespace LxAnnotate.Hub.Tests.Processing.Processors;

public sealed class RoiScalingTests
{
    [Fact]
    public void Scale_SameFrameSize_Unchanged()
    {
        var roi = new ProcessorRoi(550, 0, 1350, 1080);

        Assert.Equal(roi, RoiScaling.Scale(roi, 1920, 1080, 1920, 1080));
    }

    [Fact]
    public void Scale_To720p_TwoThirdsRounded()
    {
        Assert.Equal(new ProcessorRoi(367, 0, 900, 720), RoiScaling.Scale(new ProcessorRoi(550, 0, 1350, 1080), 1920, 1080, 1280, 720));
        Assert.Equal(new ProcessorRoi(160, 5, 77, 23), RoiScaling.Scale(new ProcessorRoi(240, 7, 115, 35), 1920, 1080, 1280, 720));
    }

    [Fact]
    public void Scale_NonUniformFrame_ScalesAxesSeparately() =>
        Assert.Equal(new ProcessorRoi(35, 166, 140, 70), RoiScaling.Scale(new ProcessorRoi(70, 83, 280, 35), 1920, 1080, 960, 2160));

    [Fact]
    public void Scale_RegionPastTheEdge_ClippedToFrame() =>
        Assert.Equal(new ProcessorRoi(1800, 1000, 120, 80), RoiScaling.Scale(new ProcessorRoi(1800, 1000, 500, 500), 1920, 1080, 1920, 1080));

    [Fact]
    public void Scale_ZeroFrame_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RoiScaling.Scale(new ProcessorRoi(0, 0, 1, 1), 1920, 1080, 0, 720));

    [Fact]
    public void ScaleAll_Olympus_EveryFieldScaled()
    {
        var processor = new EndoscopyProcessor
        {
            Name = EndoscopyProcessor.OlympusCv1500,
            ImageWidth = 1920,
            ImageHeight = 1080,
            Rois = Hub.Data.Configurations.EndoscopyProcessorConfiguration.OlympusCv1500Rois,
        };

        var scaled = RoiScaling.ScaleAll(processor, 960, 540);

        Assert.Equal(ProcessorRois.FieldNames.Order(StringComparer.Ordinal), scaled.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new ProcessorRoi(35, 335, 140, 18), scaled["endoscope_sn"]);
        Assert.Equal(new ProcessorRoi(40, 55, 220, 17), scaled["patient_first_name"]);
    }
}
