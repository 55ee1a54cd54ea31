namespace ClusterD.Messaging.Files;

/// <summary>The type of a file as <c>stat(2)</c> reports it (the <c>S_IFMT</c> bits of its mode).</summary>
public enum FileKind
{
    Other,
    Regular,
    Directory,
    CharacterDevice,
    BlockDevice,
    Fifo,
    SymbolicLink,
    Socket,
}
