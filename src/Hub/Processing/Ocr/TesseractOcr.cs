using System.Text;
using LxAnnotate.Hub.Processing.Tools;

namespace LxAnnotate.Hub.Processing.Ocr;

/// <summary>
/// Tesseract through its CLI (<see cref="ToolRunner"/>-bounded), languages <c>deu+eng</c>, TSV output for
/// word confidences and boxes. <c>TESSDATA_PREFIX</c> is honoured by Tesseract itself (the environment is
/// inherited). Several single-line images are read in one process through a list file, which saves
/// loading the models once per image. <c>OMP_THREAD_LIMIT=1</c> keeps it from oversubscribing cores.
/// </summary>
internal sealed class TesseractOcr(ToolRunner tools)
{
    /// <summary>Languages passed to <c>-l</c>.</summary>
    public const string Languages = "deu+eng";

    private static readonly Dictionary<string, string> Environment = new(StringComparer.Ordinal) { ["OMP_THREAD_LIMIT"] = "1" };

    /// <summary>
    /// Reads each image (a prepared single-line crop) with page segmentation mode 7 (one text line).
    /// Returns one entry per image, null where nothing was read.
    /// </summary>
    public async Task<IReadOnlyList<OcrLine?>> ReadLinesAsync(IReadOnlyList<string> imagePaths, string workDirectory, CancellationToken cancellationToken)
    {
        if (imagePaths.Count == 0)
        {
            return [];
        }
        var list = Path.Combine(workDirectory, "tesseract-" + Guid.NewGuid().ToString("N") + ".txt");
        await File.WriteAllTextAsync(list, string.Join('\n', imagePaths) + "\n", new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
        try
        {
            var result = await tools.RunAsync("tesseract",
                [list, "stdout", "-l", Languages, "--psm", "7", "-c", "tessedit_do_invert=0", "tsv"],
                ToolLimits.Short, cancellationToken, Environment).ConfigureAwait(false);
            var words = TesseractTsv.ParseWords(Encoding.UTF8.GetString(result.Stdout));
            return TesseractTsv.ToPageLines(words, imagePaths.Count);
        }
        finally
        {
            File.Delete(list);
        }
    }

    /// <summary>Reads a full page (automatic page segmentation) and returns its words with boxes in image pixels.</summary>
    public async Task<IReadOnlyList<OcrWord>> ReadPageAsync(string imagePath, CancellationToken cancellationToken)
    {
        var result = await tools.RunAsync("tesseract",
            [imagePath, "stdout", "-l", Languages, "--psm", "3", "tsv"],
            ToolLimits.Short, cancellationToken, Environment).ConfigureAwait(false);
        return TesseractTsv.ParseWords(Encoding.UTF8.GetString(result.Stdout));
    }
}
