namespace ClusterD.Platform.Files;

/// <summary>The type of a file as <c>statx(2)</c> reports it (the <c>S_IFMT</c> bits of its mode).</summary>
public enum FileKind
{
    /// <summary>A type Linux does not define; never seen in practice.</summary>
    Other,
    Regular,
    Directory,
    SymbolicLink,
    Socket,
    Fifo,
    CharacterDevice,
    BlockDevice,
}
