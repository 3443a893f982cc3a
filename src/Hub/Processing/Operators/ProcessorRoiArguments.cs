using System.Globalization;
using LxAnnotate.Hub.Domain;
using LxAnnotate.Hub.Operators;

namespace LxAnnotate.Hub.Processing.Operators;

/// <summary>Parses <c>--roi field=x,y,w,h</c> arguments: every field exactly once, inside the reference frame.</summary>
internal static class ProcessorRoiArguments
{
    public static ProcessorRois Parse(IReadOnlyList<string> arguments, int imageWidth, int imageHeight)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var rois = new Dictionary<string, ProcessorRoi>(StringComparer.Ordinal);
        foreach (var argument in arguments)
        {
            var eq = argument.IndexOf('=', StringComparison.Ordinal);
            var field = eq > 0 ? argument[..eq] : argument;
            if (!ProcessorRois.FieldNames.Contains(field, StringComparer.Ordinal))
            {
                throw Invalid($"--roi '{field}' is not a region; use one of {string.Join(", ", ProcessorRois.FieldNames)}");
            }

            var parts = eq > 0 ? argument[(eq + 1)..].Split(',') : [];
            var numbers = new int[4];
            if (parts.Length != 4 || !parts.Select((p, i) => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i])).All(ok => ok))
            {
                throw Invalid($"--roi {field} must be {field}=X,Y,WIDTH,HEIGHT in whole pixels");
            }

            var roi = new ProcessorRoi(numbers[0], numbers[1], numbers[2], numbers[3]);
            if (roi.Width < 1 || roi.Height < 1 || roi.X + roi.Width > imageWidth || roi.Y + roi.Height > imageHeight)
            {
                throw Invalid($"--roi {field} must have a size and lie inside the {imageWidth}x{imageHeight} frame");
            }

            if (!rois.TryAdd(field, roi))
            {
                throw Invalid($"--roi {field} is given twice");
            }
        }

        var missing = ProcessorRois.FieldNames.Where(f => !rois.ContainsKey(f)).ToList();
        if (missing.Count > 0)
        {
            throw Invalid("--roi missing for " + string.Join(", ", missing));
        }

        return new ProcessorRois(rois["endoscope_image"], rois["examination_date"], rois["examination_time"], rois["patient_first_name"],
            rois["patient_last_name"], rois["patient_dob"], rois["endoscope_type"], rois["endoscope_sn"]);
    }

    private static OperatorException Invalid(string message) => new(OperatorErrorKind.InvalidArgument, message);
}
