namespace ClusterD.Platform.Files;

/// <summary>How messages name a <see cref="FileKind"/>.</summary>
public static class FileKindText
{
    /// <summary>"a directory", "a FIFO", "a character device" ...: for messages that say what a path is instead of what it should be.</summary>
    public static string Describe(this FileKind kind) => kind switch
    {
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a directory",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.Socket => "a socket",
        FileKind.Fifo => "a FIFO",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        _ => "a file of unknown type",
    };
}
