namespace LxAnnotate.Hub.Processing.Ocr;

/// <summary>The regions of a processor overlay, by their profile names (<see cref="OverlayFieldNames"/>).</summary>
internal enum OverlayField
{
    /// <summary><c>endoscope_image</c>: the endoscopic picture, the only region kept in the masked video.</summary>
    EndoscopeImage,

    /// <summary><c>examination_date</c>.</summary>
    ExaminationDate,

    /// <summary><c>examination_time</c>.</summary>
    ExaminationTime,

    /// <summary><c>patient_first_name</c>.</summary>
    PatientFirstName,

    /// <summary><c>patient_last_name</c>.</summary>
    PatientLastName,

    /// <summary><c>patient_dob</c>.</summary>
    PatientDob,

    /// <summary><c>endoscope_type</c>.</summary>
    EndoscopeType,

    /// <summary><c>endoscope_sn</c>.</summary>
    EndoscopeSn,
}
