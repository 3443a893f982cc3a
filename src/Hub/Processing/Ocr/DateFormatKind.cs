namespace LxAnnotate.Hub.Processing.Ocr;

/// <summary>Written form of a date, kept so a replacement can be written the same way.</summary>
internal enum DateFormatKind
{
    /// <summary>Day, month, four-digit year (<c>dd.mm.yyyy</c>, <c>d.m.yyyy</c>, also with <c>/</c>).</summary>
    DayMonthYear4,

    /// <summary>Day, month, two-digit year (<c>d.m.yy</c>).</summary>
    DayMonthYear2,

    /// <summary>ISO <c>yyyy-mm-dd</c>.</summary>
    Iso,
}
