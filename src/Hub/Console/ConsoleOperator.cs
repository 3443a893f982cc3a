using System.Security.Claims;
using LxAnnotate.Hub.Authentication;
using LxAnnotate.Hub.Operators;

namespace LxAnnotate.Hub.OperatorConsole;

/// <summary>
/// The signed-in operator as the console sees them: the name that goes into the audit trail and the centers they may
/// see and change. Without the center claim an operator with the role is hub-wide.
/// </summary>
internal sealed record ConsoleOperator(string Actor, bool HubWide, IReadOnlySet<string> Centers)
{
    /// <summary>The role claim is read like the center claim: JSON array, repeated claims or a space-separated list.</summary>
    public static bool HasRole(ClaimsPrincipal user, ConsoleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return CenterClaims.Read(user, options.RoleClaim).Contains(options.Role);
    }

    public static ConsoleOperator From(ClaimsPrincipal user, ConsoleOptions options)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(options);

        // The login name an operator knows themselves by, as the CLI records the OS login; sub when the provider sends none.
        var name = user.FindFirst("preferred_username")?.Value ?? user.FindFirst("sub")?.Value ?? "";
        var actor = OperatorActor.Resolve(name, _ => null);

        // A claim that is present but lists nothing scopes to no center; only its absence means hub-wide.
        var hubWide = !user.HasClaim(c => c.Type == options.CenterClaim);
        return new ConsoleOperator(actor, hubWide, CenterClaims.Read(user, options.CenterClaim));
    }

    public bool MaySee(string centerKey) => HubWide || Centers.Contains(centerKey);

    /// <summary>What the header shows: "all centers" or the list.</summary>
    public string ScopeText => HubWide ? "all centers" : Centers.Count == 0 ? "no center" : string.Join(", ", Centers.Order(StringComparer.Ordinal));
}
