using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace LxAnnotate.Hub.Hosting;

/// <summary>Tags each connection with the listener it arrived on, so handlers never guess from ports.</summary>
internal static class Listeners
{
    private const string ItemKey = "lxa.listener";

    public static ListenOptions Tag(this ListenOptions listen, ListenerKind kind)
    {
        listen.Use(next => connection =>
        {
            connection.Items[ItemKey] = kind;
            return next(connection);
        });
        return listen;
    }

    public static ListenerKind? GetListener(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var items = context.Features.Get<IConnectionItemsFeature>()?.Items;
        return items is not null && items.TryGetValue(ItemKey, out var value) && value is ListenerKind kind ? kind : null;
    }
}
