using System.Text;

namespace LxAnnotate.TestSupport;

/// <summary>
/// Plaintext that names itself: a PDF (an encrypted-class type) whose body repeats a marker, and a sweep of a
/// directory tree for files that contain it, to prove the plaintext never reached the disk.
/// </summary>
public static class PlaintextMarker
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

    /// <summary>Every file under <paramref name="root"/> (relative paths) that holds <paramref name="marker"/>; files that vanish meanwhile are skipped.</summary>
    public static IReadOnlyList<string> FilesContaining(string root, string marker) => FilesContaining(root, Encoding.ASCII.GetBytes(marker));

    /// <summary>Every file under <paramref name="root"/> (relative paths, except <paramref name="except"/>) that holds the bytes <paramref name="marker"/>.</summary>
    public static IReadOnlyList<string> FilesContaining(string root, byte[] marker, params string[] except)
    {
        var found = new List<string>();
        foreach (var path in Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            if (except.Contains(path, StringComparer.Ordinal))
            {
                continue;
            }

            try
            {
                if (File.ReadAllBytes(path).AsSpan().IndexOf(marker) >= 0)
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
