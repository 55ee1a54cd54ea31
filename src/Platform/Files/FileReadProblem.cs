namespace ClusterD.Platform.Files;

/// <summary>Why <see cref="RegularFile.Read"/> refused or failed to read a file.</summary>
public enum FileReadProblem
{
    /// <summary>The name is empty or holds a NUL character, so it names no file.</summary>
    NotAFileName,

    /// <summary>Nothing exists at the path.</summary>
    Missing,

    /// <summary>The path names a directory, device, FIFO, socket: see <see cref="FileReadException.Kind"/>.</summary>
    NotRegular,

    /// <summary>The file holds more than the limit: see <see cref="FileReadException.Limit"/>.</summary>
    TooLarge,

    /// <summary>statx failed (permission on a directory on the way, a name too long).</summary>
    CannotExamine,

    /// <summary>open failed (permission on the file).</summary>
    CannotOpen,

    /// <summary>A read failed (an I/O error).</summary>
    CannotRead,
}
