using LxAnnotate.Hub.Processing.Imaging;
using LxAnnotate.Hub.Processing.Media;
using LxAnnotate.Hub.Processing.Ocr;

namespace LxAnnotate.Hub.Tests.Processing.Ocr;

public sealed class OcrPrimitivesTests
{
    [Fact]
    public void SampleTimes_Default24_EvenlySpreadInsideTheVideoFromTheFirstFrame()
    {
        var times = VideoFrames.SampleTimes(TimeSpan.FromSeconds(48), 24);

        // Issue 21: the first sample is the first frame (time 0), or a one-frame video yields no frame at all.
        Assert.Equal(24, times.Count);
        Assert.Equal(TimeSpan.Zero, times[0]);
        Assert.Equal(TimeSpan.FromSeconds(46), times[^1]);
        Assert.All(times.Zip(times.Skip(1)), pair => Assert.Equal(TimeSpan.FromSeconds(2), pair.Second - pair.First));
    }

    [Fact]
    public void SampleTimes_UnknownDuration_OneFrameAtStart()
    {
        Assert.Equal([TimeSpan.Zero], VideoFrames.SampleTimes(TimeSpan.Zero, 24));
    }

    [Fact]
    public void Prepare_BlackRegion_HasNoText()
    {
        Assert.Null(OcrPreprocessor.Prepare(new GrayImage(100, 30)));
    }

    [Fact]
    public void Prepare_LightTextOnDark_InvertsUpscalesAndBinarises()
    {
        var crop = new GrayImage(100, 24);
        crop.Fill(10, 8, 30, 8, 230); // a light stroke on black

        var prepared = OcrPreprocessor.Prepare(crop);

        Assert.NotNull(prepared);
        Assert.Equal((400 + 32, 96 + 32), (prepared.Width, prepared.Height)); // ×4, then a 16 px margin
        Assert.All(prepared.Pixels, p => Assert.True(p is 0 or 255));
        Assert.Equal(0, prepared[16 + 80, 16 + 40]);    // stroke is dark now
        Assert.Equal(255, prepared[16 + 300, 16 + 80]); // background is white
    }

    [Fact]
    public void Pgm_RoundTrip_KeepsPixels()
    {
        var image = new GrayImage(3, 2, [0, 1, 2, 253, 254, 255]);

        var read = GrayImage.ReadPgm(image.ToPgm());

        Assert.Equal((3, 2), (read.Width, read.Height));
        Assert.Equal(image.Pixels, read.Pixels);
    }

    [Theory]
    [InlineData("P6\n1 1\n255\n\0\0\0")]
    [InlineData("P5\n4 4\n255\n\0")]
    [InlineData("P5\n1 1\n65535\n\0\0")]
    public void ReadPgm_Unsupported_Throws(string data)
    {
        Assert.Throws<InvalidDataException>(() => GrayImage.ReadPgm(System.Text.Encoding.Latin1.GetBytes(data)));
    }

    [Fact]
    public void TesseractTsv_Words_JoinedPerPageWithMeanConfidence()
    {
        const string tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
            + "1\t1\t0\t0\t0\t0\t0\t0\t400\t60\t-1\t\n"
            + "5\t1\t1\t1\t1\t1\t8\t6\t115\t42\t90\tMüller,\n"
            + "5\t1\t1\t1\t1\t2\t137\t10\t69\t34\t80\tJörg\n"
            + "1\t2\t0\t0\t0\t0\t0\t0\t400\t60\t-1\t\n"
            + "5\t3\t1\t1\t1\t1\t9\t10\t199\t26\t96.5\t12.03.1961";

        var lines = TesseractTsv.ToPageLines(TesseractTsv.ParseWords(tsv), 3);

        Assert.Equal(new OcrLine("Müller, Jörg", 85), lines[0]);
        Assert.Null(lines[1]);
        Assert.Equal(new OcrLine("12.03.1961", 96.5), lines[2]);
    }
}
