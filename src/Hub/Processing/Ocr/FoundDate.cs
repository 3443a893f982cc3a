namespace LxAnnotate.Hub.Processing.Ocr;

/// <summary>A date found in text.</summary>
/// <param name="Date">The calendar date.</param>
/// <param name="Index">Start of the match in the text.</param>
/// <param name="Length">Length of the match.</param>
/// <param name="Format">Which form it had: <c>dd.mm.yyyy</c>, <c>d.m.yy</c> style (<c>dmy2</c>/<c>dmy4</c>) or <c>iso</c>.</param>
/// <param name="Label">A label directly before the date.</param>
/// <param name="Time">A time directly after the date, if any.</param>
internal sealed record FoundDate(DateOnly Date, int Index, int Length, DateFormatKind Format, DateLabel Label, TimeOnly? Time);
