namespace ClusterD.ResourceManager.Files;

/// <summary>The kinds of file stat(2) tells apart (the S_IFMT bits of st_mode).</summary>
public enum PosixFileType
{
    Regular,
    Directory,
    CharacterDevice,
    BlockDevice,
    Fifo,
    Socket,
    Other,
}
