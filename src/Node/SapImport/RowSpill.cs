using System.Text;

namespace LxAnnotate.Node.SapImport;

/// <summary>
/// Append-only file of row cells in the staging folder, so that memory holds only <see cref="RowRef"/>s
/// however big the archive is. Written once while tables are read, then read back by offset.
/// </summary>
internal sealed class RowSpill : IDisposable
{
    private readonly FileStream stream;
    private readonly BinaryWriter writer;
    private readonly BinaryReader reader;
    private bool writing = true;

    public RowSpill(string path)
    {
        stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
        writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
    }

    public long Append(IReadOnlyList<string?> values)
    {
        if (!writing)
        {
            throw new InvalidOperationException("The spill file is being read.");
        }

        var offset = stream.Position;
        writer.Write(values.Count);
        foreach (var value in values)
        {
            writer.Write(value is not null);
            if (value is not null)
            {
                writer.Write(value);
            }
        }

        return offset;
    }

    public string?[] Read(long offset)
    {
        if (writing)
        {
            writer.Flush();
            writing = false;
        }

        stream.Position = offset;
        var values = new string?[reader.ReadInt32()];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = reader.ReadBoolean() ? reader.ReadString() : null;
        }

        return values;
    }

    public void Dispose()
    {
        reader.Dispose();
        writer.Dispose();
        stream.Dispose();
    }
}
