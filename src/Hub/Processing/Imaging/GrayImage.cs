using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace LxAnnotate.Hub.Processing.Imaging;

/// <summary>
/// An 8-bit grayscale image in memory (row-major, one byte per pixel), with the few operations the OCR
/// and redaction steps need: binary PGM (P5) in and out, crop, bilinear resize, black fill, and a PNG
/// encoder. Kept managed and dependency-free on purpose: frames come from ffmpeg and pages from
/// pdftoppm as PGM, so no image codec library parses untrusted input in-process.
/// </summary>
internal sealed class GrayImage
{
    /// <summary>Largest accepted side, a bound against absurd headers.</summary>
    public const int MaxSide = 20_000;

    public GrayImage(int width, int height, byte[]? pixels = null)
    {
        if (width <= 0 || height <= 0 || width > MaxSide || height > MaxSide)
        {
            throw new ArgumentOutOfRangeException(nameof(width), "image size out of range");
        }
        Width = width;
        Height = height;
        Pixels = pixels ?? new byte[checked(width * height)];
        if (Pixels.Length != width * height)
        {
            throw new ArgumentException("pixel buffer does not match the size", nameof(pixels));
        }
    }

    public int Width { get; }

    public int Height { get; }

    public byte[] Pixels { get; }

    /// <summary>Reads a binary PGM (P5, maxval ≤ 255).</summary>
    /// <exception cref="InvalidDataException">Not a binary 8-bit PGM, or truncated.</exception>
    public static GrayImage ReadPgm(byte[] data)
    {
        var position = 0;
        if (NextToken(data, ref position) != "P5")
        {
            throw new InvalidDataException("not a binary PGM (P5) image");
        }
        var width = ParseHeaderInt(NextToken(data, ref position));
        var height = ParseHeaderInt(NextToken(data, ref position));
        var maxValue = ParseHeaderInt(NextToken(data, ref position));
        if (maxValue is <= 0 or > 255 || width <= 0 || height <= 0 || width > MaxSide || height > MaxSide)
        {
            throw new InvalidDataException("unsupported PGM header");
        }
        position++; // the single whitespace after maxval
        var length = width * height;
        if (data.Length - position < length)
        {
            throw new InvalidDataException("truncated PGM image");
        }
        var pixels = data.AsSpan(position, length).ToArray();
        return new GrayImage(width, height, pixels);
    }

    /// <summary>Reads a PGM file.</summary>
    public static async Task<GrayImage> ReadPgmAsync(string path, CancellationToken cancellationToken) =>
        ReadPgm(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false));

    /// <summary>Encodes as binary PGM (P5).</summary>
    public byte[] ToPgm()
    {
        var header = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"P5\n{Width} {Height}\n255\n"));
        var result = new byte[header.Length + Pixels.Length];
        header.CopyTo(result, 0);
        Pixels.CopyTo(result, header.Length);
        return result;
    }

    public byte this[int x, int y]
    {
        get => Pixels[(y * Width) + x];
        set => Pixels[(y * Width) + x] = value;
    }

    /// <summary>Copies the part inside <paramref name="x"/>,<paramref name="y"/>,<paramref name="width"/>,<paramref name="height"/>, clipped to the image.</summary>
    public GrayImage Crop(int x, int y, int width, int height)
    {
        var x0 = Math.Clamp(x, 0, Width - 1);
        var y0 = Math.Clamp(y, 0, Height - 1);
        var x1 = Math.Clamp(x + width, x0 + 1, Width);
        var y1 = Math.Clamp(y + height, y0 + 1, Height);
        var result = new GrayImage(x1 - x0, y1 - y0);
        for (var row = 0; row < result.Height; row++)
        {
            Array.Copy(Pixels, ((y0 + row) * Width) + x0, result.Pixels, row * result.Width, result.Width);
        }
        return result;
    }

    /// <summary>Bilinear resize to <paramref name="width"/> × <paramref name="height"/>.</summary>
    public GrayImage Resize(int width, int height)
    {
        var result = new GrayImage(width, height);
        var sx = (double)Width / width;
        var sy = (double)Height / height;
        for (var y = 0; y < height; y++)
        {
            var fy = Math.Clamp(((y + 0.5) * sy) - 0.5, 0, Height - 1);
            var y0 = (int)fy;
            var y1 = Math.Min(y0 + 1, Height - 1);
            var wy = fy - y0;
            for (var x = 0; x < width; x++)
            {
                var fx = Math.Clamp(((x + 0.5) * sx) - 0.5, 0, Width - 1);
                var x0 = (int)fx;
                var x1 = Math.Min(x0 + 1, Width - 1);
                var wx = fx - x0;
                var top = (this[x0, y0] * (1 - wx)) + (this[x1, y0] * wx);
                var bottom = (this[x0, y1] * (1 - wx)) + (this[x1, y1] * wx);
                result[x, y] = (byte)Math.Clamp((int)Math.Round((top * (1 - wy)) + (bottom * wy)), 0, 255);
            }
        }
        return result;
    }

    /// <summary>Paints the rectangle (clipped to the image) with <paramref name="value"/>.</summary>
    public void Fill(int x, int y, int width, int height, byte value)
    {
        var x0 = Math.Clamp(x, 0, Width);
        var y0 = Math.Clamp(y, 0, Height);
        var x1 = Math.Clamp(x + width, 0, Width);
        var y1 = Math.Clamp(y + height, 0, Height);
        for (var row = y0; row < y1; row++)
        {
            Array.Fill(Pixels, value, (row * Width) + x0, Math.Max(0, x1 - x0));
        }
    }

    /// <summary>Surrounds the image with a border of <paramref name="size"/> pixels of <paramref name="value"/>.</summary>
    public GrayImage Pad(int size, byte value)
    {
        var result = new GrayImage(Width + (2 * size), Height + (2 * size));
        Array.Fill(result.Pixels, value);
        for (var row = 0; row < Height; row++)
        {
            Array.Copy(Pixels, row * Width, result.Pixels, ((row + size) * result.Width) + size, Width);
        }
        return result;
    }

    /// <summary>Encodes as an 8-bit grayscale PNG (filter 0, zlib via <see cref="ZLibStream"/>).</summary>
    public byte[] ToPng()
    {
        using var output = new MemoryStream();
        output.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header, Width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), Height);
        header[8] = 8; // bit depth
        header[9] = 0; // grayscale
        WriteChunk(output, "IHDR", header);
        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                for (var row = 0; row < Height; row++)
                {
                    zlib.WriteByte(0);
                    zlib.Write(Pixels, row * Width, Width);
                }
            }
            WriteChunk(output, "IDAT", compressed.ToArray());
        }
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    private static void WriteChunk(Stream output, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        output.Write(length);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        var crc = Crc32(Crc32(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(length, crc);
        output.Write(length);
    }

    private static readonly uint[] CrcTable = BuildCrcTable();

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }
            table[n] = c;
        }
        return table;
    }

    private static uint Crc32(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }
        return crc;
    }

    private static string NextToken(byte[] data, ref int position)
    {
        while (position < data.Length)
        {
            if (data[position] == (byte)'#')
            {
                while (position < data.Length && data[position] != (byte)'\n')
                {
                    position++;
                }
            }
            else if (char.IsWhiteSpace((char)data[position]))
            {
                position++;
            }
            else
            {
                break;
            }
        }
        var start = position;
        while (position < data.Length && !char.IsWhiteSpace((char)data[position]) && position - start < 16)
        {
            position++;
        }
        return Encoding.ASCII.GetString(data, start, position - start);
    }

    private static int ParseHeaderInt(string token) =>
        int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidDataException("malformed PGM header");
}
