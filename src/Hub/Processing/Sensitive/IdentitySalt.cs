namespace LxAnnotate.Hub.Processing.Sensitive;

/// <summary>
/// The resolved hash salt: <see cref="Active"/> makes new hashes; <see cref="Retiring"/> are older generations from an
/// identity keyring (hashes made with them can still be recognised). <see cref="Source"/> names the variable that won.
/// </summary>
/// <param name="LegacyDefault">The salt is the original's literal <c>default_salt</c>, allowed by <c>LXA_ALLOW_LEGACY_DEFAULT_SALT</c>.</param>
internal sealed record IdentitySalt(string Active, IReadOnlyList<string> Retiring, string Source, bool LegacyDefault)
{
    // The generated ToString would print the salt into any log line or interpolated string.
    public override string ToString() => $"IdentitySalt {{ source = {Source}, retiring = {Retiring.Count}, legacy default = {LegacyDefault} }}";
}
