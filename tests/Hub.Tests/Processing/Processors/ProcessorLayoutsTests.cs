using LxAnnotate.Hub.Data.Configurations;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Processing.Ocr;
using LxAnnotate.Hub.Processing.Processors;

namespace LxAnnotate.Hub.Tests.Processing.Processors;

public sealed class ProcessorLayoutsTests
{
    [Fact]
    public void ToOverlayLayout_SeededOlympusProfile_EqualsTheReadersOlympusLayout()
    {
        var processor = new EndoscopyProcessor
        {
            Name = EndoscopyProcessor.OlympusCv1500,
            ImageWidth = 1920,
            ImageHeight = 1080,
            Rois = EndoscopyProcessorConfiguration.OlympusCv1500Rois,
        };

        var layout = ProcessorLayouts.ToOverlayLayout(processor);

        Assert.Equal((OverlayLayouts.OlympusCv1500.ReferenceWidth, OverlayLayouts.OlympusCv1500.ReferenceHeight), (layout.ReferenceWidth, layout.ReferenceHeight));
        Assert.Equal(OverlayLayouts.OlympusCv1500.Regions.OrderBy(r => r.Key), layout.Regions.OrderBy(r => r.Key));
    }
}
