namespace ClusterD.Daemon;

/// <summary>The type of a file system entry as lstat/statx report it (a symbolic link is not followed).</summary>
internal enum FileKind
{
    Missing,
    Socket,
    SymbolicLink,
    Regular,
    BlockDevice,
    Directory,
    CharacterDevice,
    Fifo,
}
