namespace LxAnnotate.Hub.DataDir;

/// <summary>What <c>lxa-hub init-data-dir</c> did to one directory.</summary>
internal enum DataTreeAction
{
    /// <summary>Existed with the documented mode or a tighter one; left alone.</summary>
    Unchanged,

    /// <summary>Was missing; created with the documented mode.</summary>
    Created,

    /// <summary>Existed with bits beyond the documented mode; those bits were removed.</summary>
    Tightened,

    /// <summary>Something else is at the path (a file); nothing was changed.</summary>
    Refused,
}
