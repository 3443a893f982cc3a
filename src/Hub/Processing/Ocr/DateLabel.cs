namespace LxAnnotate.Hub.Processing.Ocr;

/// <summary>What a label just before a date says it is.</summary>
internal enum DateLabel
{
    /// <summary>No recognised label.</summary>
    None,

    /// <summary><c>geb.</c>, <c>geboren am</c>, <c>Geburtsdatum</c>, <c>DOB</c>, <c>*</c>.</summary>
    Birth,

    /// <summary><c>U-datum</c>, <c>Unters.</c>, <c>Untersuchung</c>, <c>Exam</c>.</summary>
    Examination,
}
