namespace LxAnnotate.Node.Outbox;

internal enum TakeMode
{
    /// <summary>Drop folders: the file leaves the drop folder (atomic rename).</summary>
    Move,

    /// <summary><c>lxa-node push</c>: the operator's file stays where it is.</summary>
    Copy,
}
