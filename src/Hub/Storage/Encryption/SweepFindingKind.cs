namespace LxAnnotate.Hub.Storage.Encryption;

/// <summary>Why a file under <c>STORAGE_DIR/centers</c> is not encrypted under the current master key.</summary>
public enum SweepFindingKind
{
    /// <summary>Plaintext where only encrypted files may be: a sensitive artifact stored before a key was configured, or a <c>.lxenc</c> file without the magic.</summary>
    Plaintext,

    /// <summary>An LXENC01 file that only a retiring key opens.</summary>
    RetiringKey,

    /// <summary>An LXENC01 file no configured key opens, or a malformed one; never rewritten.</summary>
    Unreadable,
}
