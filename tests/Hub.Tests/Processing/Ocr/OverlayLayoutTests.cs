using LxAnnotate.Hub.Processing.Ocr;

namespace LxAnnotate.Hub.Tests.Processing.Ocr;

public sealed class OverlayLayoutTests
{
    [Fact]
    public void OlympusCv1500_HasTheProfileRegions()
    {
        var layout = OverlayLayouts.OlympusCv1500;

        Assert.Equal("olympus_cv_1500", layout.Name);
        Assert.Equal((1920, 1080), (layout.ReferenceWidth, layout.ReferenceHeight));
        Assert.Equal(new RoiRect(550, 0, 1350, 1080), layout.Regions[OverlayField.EndoscopeImage]);
        Assert.Equal(new RoiRect(0, 0, 390, 40), layout.Regions[OverlayField.ExaminationDate]);
        Assert.Equal(new RoiRect(240, 7, 115, 35), layout.Regions[OverlayField.ExaminationTime]);
        Assert.Equal(new RoiRect(80, 110, 440, 33), layout.Regions[OverlayField.PatientFirstName]);
        Assert.Equal(new RoiRect(70, 83, 450, 27), layout.Regions[OverlayField.PatientLastName]);
        Assert.Equal(new RoiRect(70, 180, 160, 50), layout.Regions[OverlayField.PatientDob]);
        Assert.Equal(new RoiRect(70, 630, 280, 35), layout.Regions[OverlayField.EndoscopeType]);
        Assert.Equal(new RoiRect(70, 670, 280, 35), layout.Regions[OverlayField.EndoscopeSn]);
    }

    [Fact]
    public void ScaledTo_HalfSize_HalvesRegionsRoundingOutwards()
    {
        var scaled = OverlayLayouts.OlympusCv1500.ScaledTo(960, 540);

        Assert.Equal(new RoiRect(35, 41, 225, 14), scaled[OverlayField.PatientLastName]);
        Assert.Equal(new RoiRect(275, 0, 675, 540), scaled[OverlayField.EndoscopeImage]);
    }

    [Fact]
    public void ScaledTo_SameSize_KeepsRegions()
    {
        var layout = OverlayLayouts.OlympusCv1500;

        Assert.Equal(layout.Regions.OrderBy(r => r.Key), layout.ScaledTo(1920, 1080).OrderBy(r => r.Key));
    }

    [Fact]
    public void Constructor_RegionOutsideFrame_IsRefusedNamingIt()
    {
        var e = Assert.Throws<ArgumentException>(() => new OverlayLayout("bad", 100, 100, new Dictionary<OverlayField, RoiRect>
        {
            [OverlayField.EndoscopeImage] = new(0, 0, 100, 100),
            [OverlayField.PatientDob] = new(90, 0, 20, 10),
        }));

        Assert.Contains("patient_dob", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NoEndoscopeImage_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => new OverlayLayout("bad", 100, 100, new Dictionary<OverlayField, RoiRect>()));
    }

    [Theory]
    [InlineData("endoscope_image", nameof(OverlayField.EndoscopeImage))]
    [InlineData("patient_first_name", nameof(OverlayField.PatientFirstName))]
    [InlineData("endoscope_sn", nameof(OverlayField.EndoscopeSn))]
    public void FieldNames_RoundTrip(string wire, string fieldName)
    {
        var field = Enum.Parse<OverlayField>(fieldName);
        Assert.True(OverlayFieldNames.TryParse(wire, out var parsed));
        Assert.Equal(field, parsed);
        Assert.Equal(wire, OverlayFieldNames.ToWireName(field));
    }
}
