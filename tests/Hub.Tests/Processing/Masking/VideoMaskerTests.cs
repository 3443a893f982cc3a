using System.Security.Cryptography;
using LxAnnotate.Hub.Processing.Masking;
using LxAnnotate.Hub.Processing.Media;
using LxAnnotate.Hub.Processing.Ocr;
using LxAnnotate.Hub.Tests.Support;
using LxAnnotate.TestSupport.Media;
using LxAnnotate.TestSupport;

namespace LxAnnotate.Hub.Tests.Processing.Masking;

public sealed class VideoMaskerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    private static readonly FakeOverlayPatient Patient = new("Jürgen", "Müller", new DateOnly(1961, 5, 12), new DateOnly(2024, 3, 21),
        new TimeOnly(14, 35), "CF-HQ190L", "2901234");

    [Fact]
    public async Task MaskAsync_OlympusOverlay_WritesVerifiedMaskedVideoThatPassesSelfCheck()
    {
        using var temp = new TempDirectory();
        var input = temp.Combine("in.mp4");
        var output = temp.Combine("masked.mp4");
        await OlympusOverlayFixture.CreateVideoAsync(input, Patient).WaitAsync(Timeout);
        var services = new ProcessingServices();
        var reading = await services.Reader.ReadAsync(input, OverlayLayouts.OlympusCv1500, OverlayReaderOptions.Default, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal("Müller", reading.LastName?.Value);

        var masked = await services.Masker.MaskAsync(input, output, OverlayLayouts.OlympusCv1500, reading, null, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(output, masked.Path);
        Assert.Equal(new FileInfo(output).Length, masked.SizeBytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(output))), masked.Sha256);
        Assert.Equal((1920, 1080), (masked.Info.Width, masked.Info.Height));
        Assert.True(masked.Info.HasAudio);
        var again = await services.Reader.ReadAsync(output, OverlayLayouts.OlympusCv1500, OverlayReaderOptions.Default, CancellationToken.None).WaitAsync(Timeout);
        Assert.Null(again.LastName);
        Assert.Null(again.FirstName);
        Assert.Null(again.DateOfBirth);
        Assert.Null(again.ExaminationDate);
    }

    [Fact]
    public async Task MaskAsync_LayoutKeepingOverlayVisible_FailsSelfCheckAndDeletesOutput()
    {
        using var temp = new TempDirectory();
        var input = temp.Combine("in.mp4");
        var output = temp.Combine("masked.mp4");
        await OlympusOverlayFixture.CreateVideoAsync(input, Patient, audio: false).WaitAsync(Timeout);
        var services = new ProcessingServices();
        var reading = await services.Reader.ReadAsync(input, OverlayLayouts.OlympusCv1500, OverlayReaderOptions.Default, CancellationToken.None).WaitAsync(Timeout);
        var regions = OverlayLayouts.OlympusCv1500.Regions.ToDictionary();
        regions[OverlayField.EndoscopeImage] = new RoiRect(0, 0, 1920, 1080); // wrong: keeps the overlay panel
        var broken = new OverlayLayout("broken", 1920, 1080, regions);

        var e = await Assert.ThrowsAsync<MaskingSelfCheckFailedException>(() =>
            services.Masker.MaskAsync(input, output, broken, reading, null, CancellationToken.None).WaitAsync(Timeout));

        Assert.Contains("patient_last_name", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Müller", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task MaskAsync_TruncatedInput_FailsWithMediaIntegrity()
    {
        using var temp = new TempDirectory();
        var input = temp.Combine("in.mp4");
        await OlympusOverlayFixture.CreateVideoAsync(input, Patient, audio: false).WaitAsync(Timeout);
        var bytes = await File.ReadAllBytesAsync(input);
        await File.WriteAllBytesAsync(input, bytes[..(bytes.Length / 3)]);
        var services = new ProcessingServices();

        await Assert.ThrowsAnyAsync<MediaIntegrityException>(() =>
            services.Masker.MaskAsync(input, temp.Combine("masked.mp4"), OverlayLayouts.OlympusCv1500, EmptyReading, null, CancellationToken.None).WaitAsync(Timeout));
        Assert.False(File.Exists(temp.Combine("masked.mp4")));
    }

    [Fact]
    public async Task MaskAsync_TruncatedFaststartInput_ProbeStillReadsItButMaskingFailsWithMediaIntegrity()
    {
        // With the index (moov) in front, a cut-off MP4 still probes with its full declared duration; the
        // masked output then comes out shorter than the input claims, which the output check refuses.
        using var temp = new TempDirectory();
        var whole = temp.Combine("whole.mp4");
        await OlympusOverlayFixture.CreateVideoAsync(whole, Patient, seconds: 4, audio: false).WaitAsync(Timeout);
        var input = temp.Combine("in.mp4");
        var remux = await ProcessRunner.RunAsync("ffmpeg", ["-nostdin", "-v", "error", "-y", "-i", whole, "-c", "copy", "-movflags", "+faststart", input],
            new Dictionary<string, string?>(), Timeout);
        Assert.True(remux.ExitCode == 0, remux.StandardError);
        var bytes = await File.ReadAllBytesAsync(input);
        await File.WriteAllBytesAsync(input, bytes[..(bytes.Length / 3)]);
        var services = new ProcessingServices();

        var probed = await services.Frames.ProbeAsync(input, CancellationToken.None).WaitAsync(Timeout);
        var failure = await Assert.ThrowsAnyAsync<MediaIntegrityException>(() =>
            services.Masker.MaskAsync(input, temp.Combine("masked.mp4"), OverlayLayouts.OlympusCv1500, EmptyReading, null, CancellationToken.None).WaitAsync(Timeout));

        Assert.InRange(probed.Duration.TotalSeconds, 3.5, 4.5);
        Assert.False(File.Exists(temp.Combine("masked.mp4")));
        Assert.NotEmpty(failure.Message);
    }

    [Fact]
    public async Task MaskAsync_NoVideoStream_FailsWithMediaIntegrity()
    {
        using var temp = new TempDirectory();
        var input = temp.Combine("audio.m4a");
        var made = await ProcessRunner.RunAsync("ffmpeg", ["-nostdin", "-v", "error", "-f", "lavfi", "-i", "sine=duration=1", "-c:a", "aac", input],
            new Dictionary<string, string?>(), Timeout);
        Assert.Equal(0, made.ExitCode);
        var services = new ProcessingServices();

        var e = await Assert.ThrowsAsync<MediaIntegrityException>(() =>
            services.Masker.MaskAsync(input, temp.Combine("masked.mp4"), OverlayLayouts.OlympusCv1500, EmptyReading, null, CancellationToken.None).WaitAsync(Timeout));

        Assert.Contains("no video stream", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MaskAsync_ShapeFromTheJobProbe_OutputHasAKeyFrameWhereverTheSelfCheckReads()
    {
        using var temp = new TempDirectory();
        var input = temp.Combine("in.mp4");
        var output = temp.Combine("masked.mp4");
        await OlympusOverlayFixture.CreateVideoAsync(input, Patient, seconds: 6, fps: 25).WaitAsync(Timeout);
        var services = new ProcessingServices();
        var shape = VideoShape.From(await services.Frames.ProbeAsync(input, CancellationToken.None).WaitAsync(Timeout));
        var reading = await services.Reader.ReadAsync(input, shape.Duration, OverlayLayouts.OlympusCv1500, OverlayReaderOptions.Default, CancellationToken.None)
            .WaitAsync(Timeout);
        Assert.Equal("Müller", reading.LastName?.Value);

        var masked = await services.Masker.MaskAsync(input, shape, output, OverlayLayouts.OlympusCv1500, reading, null, CancellationToken.None).WaitAsync(Timeout);

        var packets = await ProcessRunner.RunAsync("ffprobe",
            ["-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time,flags", "-of", "csv=p=0", output],
            new Dictionary<string, string?>(), Timeout);
        Assert.Equal(0, packets.ExitCode);
        var keyFrames = packets.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(','))
            .Where(fields => fields[1].StartsWith('K'))
            .Select(fields => double.Parse(fields[0], System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        var points = SelfCheckSchedule.For(shape, VideoMasker.SelfCheckFrames);
        Assert.Equal(6, points.Count);
        Assert.All(points, p => Assert.Contains(keyFrames, k => Math.Abs(k - p.KeyFrame.TotalSeconds) < 0.001));
        Assert.Equal((1920, 1080), (masked.Info.Width, masked.Info.Height));
    }

    private static OverlayReading EmptyReading => new(null, null, null, null, null, null, null, 0, false);
}
