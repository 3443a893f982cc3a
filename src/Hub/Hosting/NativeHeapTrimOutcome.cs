namespace LxAnnotate.Hub.Hosting;

/// <summary>What one tick of <see cref="NativeHeapTrimmer"/> did.</summary>
internal enum NativeHeapTrimOutcome
{
    /// <summary>Under <see cref="NativeHeapTrimmer.ActivityBytes"/> allocated since the last trim: skipped.</summary>
    Idle,

    /// <summary>Pages of free native memory were given back.</summary>
    Released,

    /// <summary>Trimmed, but no free page was resident.</summary>
    NothingToRelease,

    /// <summary>The C library has no <c>malloc_trim</c> (not Linux, or not glibc).</summary>
    Unsupported,
}
