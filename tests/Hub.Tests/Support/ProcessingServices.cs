using LxAnnotate.Hub.Processing.Masking;
using LxAnnotate.Hub.Processing.Media;
using LxAnnotate.Hub.Processing.Ocr;
using LxAnnotate.Hub.Processing.Reports;
using LxAnnotate.Hub.Processing.Tools;
using Microsoft.Extensions.Logging.Abstractions;

namespace LxAnnotate.Hub.Tests.Support;

/// <summary>The processing components wired as the worker wires them, with real tools.</summary>
internal sealed class ProcessingServices
{
    public ProcessingServices()
    {
        Tools = new ToolRunner(NullLogger<ToolRunner>.Instance);
        Frames = new VideoFrames(Tools);
        Ocr = new TesseractOcr(Tools);
        Reader = new OverlayReader(Frames, Ocr, TimeProvider.System);
        Masker = new VideoMasker(Frames, Reader, Tools, TimeProvider.System);
        ReportText = new ReportTextExtractor(Tools, Ocr);
        Reports = new ReportProcessor(ReportText, new ReportPdfAnonymizer(ReportText, TimeProvider.System), TimeProvider.System);
    }

    public ReportTextExtractor ReportText { get; }

    public ReportProcessor Reports { get; }

    public VideoMasker Masker { get; }

    public ToolRunner Tools { get; }

    public VideoFrames Frames { get; }

    public TesseractOcr Ocr { get; }

    public OverlayReader Reader { get; }
}
