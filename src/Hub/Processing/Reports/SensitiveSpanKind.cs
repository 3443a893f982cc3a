namespace LxAnnotate.Hub.Processing.Reports;

/// <summary>What a sensitive span of report text is.</summary>
internal enum SensitiveSpanKind
{
    /// <summary>A first name of the patient or examiner.</summary>
    FirstName,

    /// <summary>A last name of the patient or examiner.</summary>
    LastName,

    /// <summary>The patient's date of birth.</summary>
    BirthDate,

    /// <summary>Any other date (examination, report, …).</summary>
    OtherDate,

    /// <summary>A number of five or more digits.</summary>
    LongNumber,

    /// <summary>The case number.</summary>
    CaseNumber,
}
