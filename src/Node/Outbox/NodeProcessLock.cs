using System.Runtime.InteropServices;

namespace LxAnnotate.Node.Outbox;

/// <summary>
/// Tells a starting node process whether another one (<c>lxa-node run</c>, <c>push</c>) is working on the same outbox:
/// each holds a shared <c>flock</c> on <c>processes.lock</c> beside the outbox database for as long as it runs, and
/// only a process that gets the lock exclusively is alone. The kernel drops a process's lock when it ends, crash or not.
/// </summary>
/// <remarks>
/// The crash repair needs this: an item a live process is taking looks exactly like one a crash left mid-take, and
/// repairing it would delete that process's partial copy under it (<see cref="TakingRepair"/>).
/// </remarks>
internal sealed partial class NodeProcessLock : IDisposable
{
    private const int ReadOnly = 0x0; // O_RDONLY: flock needs no write access, so a lock file another user created will do
    private const int Create = 0x40; // O_CREAT
    private const int CloseOnExec = 0x80000; // O_CLOEXEC
    private const int Shared = 1; // LOCK_SH
    private const int Exclusive = 2; // LOCK_EX
    private const int NonBlocking = 4; // LOCK_NB
    private const int WouldBlock = 11; // EWOULDBLOCK (EAGAIN)
    private const int Interrupted = 4; // EINTR

    private int descriptor;

    private NodeProcessLock(int descriptor, string path)
    {
        this.descriptor = descriptor;
        Path = path;
    }

    public string Path { get; }

    /// <summary>Opens the lock file and tries to take it exclusively: true when no other node process holds it.</summary>
    public static (NodeProcessLock Lock, bool Alone) Open(string path)
    {
        var descriptor = OpenFile(path, ReadOnly | Create | CloseOnExec, Convert.ToInt32("644", 8));
        if (descriptor < 0)
        {
            throw new IOException($"Cannot open the node's process lock {path} (errno {Marshal.GetLastPInvokeError()}).");
        }

        var held = new NodeProcessLock(descriptor, path);
        try
        {
            return (held, held.TryLock(Exclusive));
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Holds the lock shared from now on, so other node processes may run beside this one; waits while one of them
    /// holds it exclusively (its crash repair), for as long as that takes.
    /// </summary>
    public async Task ShareAsync(TimeSpan poll, Action whileWaiting, CancellationToken cancellationToken)
    {
        var waited = false;
        while (!TryLock(Shared))
        {
            if (!waited)
            {
                whileWaiting();
                waited = true;
            }

            await Task.Delay(poll, cancellationToken);
        }
    }

    public void Dispose()
    {
        var held = Interlocked.Exchange(ref descriptor, -1);
        if (held >= 0)
        {
            _ = CloseFile(held);
        }
    }

    private bool TryLock(int operation)
    {
        ObjectDisposedException.ThrowIf(descriptor < 0, this);
        while (true)
        {
            if (Flock(descriptor, operation | NonBlocking) == 0)
            {
                return true;
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno == WouldBlock)
            {
                return false;
            }

            if (errno != Interrupted)
            {
                throw new IOException($"Cannot lock the node's process lock {Path} (errno {errno}).");
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenFile(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int descriptor, int operation);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int CloseFile(int descriptor);
}
