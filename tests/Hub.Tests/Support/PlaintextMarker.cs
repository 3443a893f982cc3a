using System.Text;

namespace LxAnnotate.Hub.Tests.Support;

/// <summary>
/// Plaintext that names itself: a PDF (an encrypted-class type) whose body repeats a marker, and a sweep of a
/// directory tree for files that contain it, to prove the plaintext never reached the disk.
/// </summary>
internal static class PlaintextMarker
{
    /// <summary>A fresh marker, unique to one test.</summary>
    public static string New() => $"LXA-PLAINTEXT-{Guid.NewGuid():N}";

    /// <summary>Exactly <paramref name="size"/> bytes: a PDF header, then <paramref name="marker"/> line after line.</summary>
    public static byte[] Pdf(string marker, int size)
    {
        var text = new StringBuilder("%PDF-1.4\n", size + marker.Length + 16);
        for (var line = 0; text.Length < size; line++)
        {
            text.Append(marker).Append(' ').Append(line).Append('\n');
        }

        return Encoding.ASCII.GetBytes(text.ToString(0, size));
    }

    public static bool Contains(ReadOnlySpan<byte> bytes, string marker) => bytes.IndexOf(Encoding.ASCII.GetBytes(marker)) >= 0;

    /// <summary>Every file under <paramref name="root"/> (relative paths) that holds <paramref name="marker"/>; files that vanish meanwhile are skipped.</summary>
    public static IReadOnlyList<string> FilesContaining(string root, string marker)
    {
        var found = new List<string>();
        foreach (var path in Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            try
            {
                if (Contains(File.ReadAllBytes(path), marker))
                {
                    found.Add(Path.GetRelativePath(root, path));
                }
            }
            catch (IOException)
            {
                // Deleted (or still locked) between listing and reading.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }
}
