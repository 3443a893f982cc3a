using LxAnnotate.TestSupport;

namespace LxAnnotate.Hub.Tests.Configuration;

/// <summary>Private secret files and keyring manifests in the original's format, written at test time.</summary>
internal static class KeyringTestFiles
{
    public static string Secret(TempDirectory dir, string name, string line)
    {
        var path = dir.Combine(name);
        File.WriteAllText(path, line + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    public static string Manifest(TempDirectory dir, string active, IEnumerable<string> retiring, bool allowLegacyDefaultSalt = false)
    {
        var lines = new List<string> { "schema_version: 1", $"active: {active}" };
        var retiringList = retiring.ToList();
        if (retiringList.Count > 0)
        {
            lines.Add("retiring:");
            lines.AddRange(retiringList.Select(path => $"  - {path}"));
        }

        if (allowLegacyDefaultSalt)
        {
            lines.Add("allow_legacy_default_salt: true");
        }

        return Secret(dir, "keyring.yml", string.Join('\n', lines));
    }
}
