namespace LxAnnotate.Hub.Processing.Operators;

/// <summary>Where the values extracted for a job (its SensitiveMeta) are kept, never the values themselves.</summary>
/// <param name="Storage"><see cref="EncryptedFile"/> (an LXENC01 JSON file, with a master key) or <see cref="PlainColumns"/> (the row's value columns, without one).</param>
/// <param name="File">The absolute path of the LXENC01 file; null for plain columns.</param>
internal sealed record JobValuesView(string Storage, string? File)
{
    public const string EncryptedFile = "encrypted_file";
    public const string PlainColumns = "plain_columns";
}
