namespace ClusterD.Messaging.Files;

/// <summary>What <c>statx(2)</c> says about one file: its type, owner, permission bits and size in bytes.</summary>
public readonly record struct FileFacts(FileKind Kind, uint OwnerId, UnixFileMode Mode, long Length)
{
    /// <summary>"a directory", "a FIFO" ...: for messages that say what a path is instead of what it should be.</summary>
    public string Describe() => Kind switch
    {
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a directory",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Fifo => "a FIFO",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.Socket => "a socket",
        _ => "not a regular file",
    };
}
