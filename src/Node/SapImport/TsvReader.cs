using System.Globalization;
using System.Text;

namespace LxAnnotate.Node.SapImport;

/// <summary>
/// Streaming reader of tab-separated records with <c>"</c> quoting: a field that starts with a quote may
/// hold tabs and line breaks, <c>""</c> inside it is one quote. Records end at LF, CRLF or CR outside
/// quotes. A physically empty line is no record (as Python's <c>csv</c> reader); every other record counts.
/// </summary>
internal sealed class TsvReader(TextReader reader, int maxFieldChars)
{
    private readonly StringBuilder field = new();
    private int pending = -2;

    /// <summary>Records read so far, including the header.</summary>
    public int RecordsRead { get; private set; }

    /// <summary>Reads the next record, or null at the end.</summary>
    /// <exception cref="InvalidDataException">A quoted field is not closed, or a field is longer than the limit.</exception>
    public List<string>? ReadRecord()
    {
        var fields = new List<string>();
        field.Clear();
        var atFieldStart = true;
        var any = false;
        while (true)
        {
            var c = Next();
            if (c < 0)
            {
                return any ? EndRecord(fields) : null;
            }

            if (c is '\n' or '\r')
            {
                if (c == '\r' && Peek() == '\n')
                {
                    Next();
                }

                if (any)
                {
                    return EndRecord(fields);
                }

                // A blank line: skipped without a record number.
                continue;
            }

            any = true;
            if (c == '\t')
            {
                fields.Add(field.ToString());
                field.Clear();
                atFieldStart = true;
            }
            else if (c == '"' && atFieldStart)
            {
                ReadQuoted();
                atFieldStart = false;
            }
            else
            {
                atFieldStart = false;
                Append((char)c);
            }
        }
    }

    /// <summary>Reads a quoted section up to and including its closing quote.</summary>
    private void ReadQuoted()
    {
        while (true)
        {
            var c = Next();
            if (c < 0)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"a quoted field in record {RecordsRead + 1} is not closed before the end of the file"));
            }

            if (c != '"')
            {
                Append((char)c);
            }
            else if (Peek() == '"')
            {
                Next();
                Append('"');
            }
            else
            {
                return;
            }
        }
    }

    private List<string> EndRecord(List<string> fields)
    {
        fields.Add(field.ToString());
        RecordsRead++;
        return fields;
    }

    private void Append(char c)
    {
        if (field.Length >= maxFieldChars)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"a field in record {RecordsRead + 1} is longer than {maxFieldChars} characters"));
        }

        field.Append(c);
    }

    private int Next()
    {
        if (pending != -2)
        {
            var c = pending;
            pending = -2;
            return c;
        }

        return reader.Read();
    }

    private int Peek()
    {
        if (pending == -2)
        {
            pending = reader.Read();
        }

        return pending;
    }
}
