namespace LxAnnotate.Hub.OperatorConsole;

/// <summary>
/// The console's only script, served by the hub like its stylesheet (nothing inline for the CSP to allow). It follows
/// <see cref="ConsoleRoutes.Progress"/> and rewrites the progress and rate cells of the transfers the page rendered
/// as open (<c>tr.in-flight</c>: a class, since Razor writes a <c>data-</c> attribute even when its value is null); it writes text only (no markup), and without it the page simply shows the state when it was loaded.
/// The text matches <see cref="ProgressText"/>, so a live cell reads like a freshly loaded one.
/// </summary>
internal static class ConsoleLiveScript
{
    private const string Script = """
        'use strict';
        (() => {
          const rows = new Map();
          for (const row of document.querySelectorAll('tr.in-flight[data-transfer]')) {
            rows.set(row.dataset.transfer, row);
          }
          if (rows.size === 0 || typeof EventSource !== 'function') {
            return;
          }
          const number = n => n.toLocaleString('en-US');
          const source = new EventSource('/console/progress');
          source.addEventListener('progress', event => {
            const open = new Map(JSON.parse(event.data).transfers.map(t => [t.id, t]));
            for (const [id, row] of rows) {
              const transfer = open.get(id);
              const rate = row.querySelector('[data-rate]');
              if (transfer === undefined) {
                rate.textContent = 'no longer in flight: reload';
                rows.delete(id);
                continue;
              }
              row.querySelector('[data-received]').textContent =
                number(transfer.receivedBytes) + ' of ' + number(transfer.sizeBytes) + ' B (' + transfer.percent + ' %)';
              if (transfer.bytesPerSecond !== null) {
                rate.textContent = number(transfer.bytesPerSecond) + ' B/s now';
              }
            }
            if (rows.size === 0) {
              source.close();
            }
          });
        })();
        """;

    public static IResult Get() => Results.Text(Script, "text/javascript; charset=utf-8");
}
