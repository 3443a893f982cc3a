using System.Globalization;

namespace LxAnnotate.Hub.PythonImport;

/// <summary>
/// A test hook: with <c>LXA_IMPORT_PYTHON_TEST_PAUSE_AFTER=N</c> the run stops after it has copied the files of its N-th
/// job and before it inserts that job's rows, says so on stderr and waits to be killed, so a test can SIGKILL the
/// real binary at the one moment that matters for resuming (files on disk, rows not yet committed).
/// </summary>
internal sealed class ImportPauseHook(int? pauseAfter)
{
    public const string Variable = "LXA_IMPORT_PYTHON_TEST_PAUSE_AFTER";

    private int copied;

    public static ImportPauseHook FromEnvironment(Func<string, string?> read) =>
        new(int.TryParse(read(Variable), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null);

    public async Task AfterCopyAsync(CancellationToken cancellationToken)
    {
        if (pauseAfter is not { } limit || ++copied != limit)
        {
            return;
        }

        await Console.Error.WriteLineAsync("lxa-hub: import-python paused by " + Variable);
        await Console.Error.FlushAsync(cancellationToken);
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }
}
