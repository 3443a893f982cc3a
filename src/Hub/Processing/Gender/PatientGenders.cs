namespace LxAnnotate.Hub.Processing.Gender;

/// <summary>
/// Gender values as the original names them (endoreg-db's Gender data): the report reader maps everything it
/// cannot decide (an androgynous or unlisted name, "divers") to <see cref="Unknown"/>.
/// </summary>
internal static class PatientGenders
{
    public const string Male = "male";

    public const string Female = "female";

    public const string Unknown = "unknown";
}
