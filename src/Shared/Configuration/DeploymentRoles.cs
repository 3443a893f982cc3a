namespace LxAnnotate.Shared.Configuration;

/// <summary>
/// Wire names of <see cref="DeploymentRole"/>, shared with the original system's
/// <c>ENDOREG_DEPLOYMENT_ROLE</c> so existing env files keep working.
/// </summary>
public static class DeploymentRoles
{
    public static string ToWireName(this DeploymentRole r) => r switch
    {
        DeploymentRole.Standalone => "standalone",
        DeploymentRole.SiteNode => "site_node",
        DeploymentRole.CentralHub => "central_hub",
        _ => throw new ArgumentOutOfRangeException(nameof(r), r, "Not a defined deployment role."),
    };

    /// <summary>
    /// Accepts the wire names in any case (surrounding whitespace ignored), as the original lower-cases the
    /// variable before comparing. Other spellings (<c>site-node</c>, <c>hub</c>) are refused: a role decides whether
    /// SQLite and the default-center fallback are allowed, so a typo must stop start-up, not guess.
    /// Null or empty is not a role; the "unset means standalone" rule belongs to the resolver.
    /// </summary>
    public static bool TryParse(string? value, out DeploymentRole role)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "standalone":
                role = DeploymentRole.Standalone;
                return true;
            case "site_node":
                role = DeploymentRole.SiteNode;
                return true;
            case "central_hub":
                role = DeploymentRole.CentralHub;
                return true;
            default:
                role = default;
                return false;
        }
    }
}
