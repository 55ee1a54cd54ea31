namespace ClusterD.Platform.Files;

/// <summary>
/// A file <see cref="RegularFile.Read"/> would not or could not read. <see cref="Exception.Message"/> is a
/// predicate to put after the path ("is a FIFO, not a regular file", "is larger than 4096 bytes"); callers
/// with their own wording build it from <see cref="Problem"/>, <see cref="Kind"/>, <see cref="Limit"/> and
/// <see cref="Reason"/>.
/// </summary>
public sealed class FileReadException : IOException
{
    /// <summary>A failed read with nothing more known: <see cref="FileReadProblem.CannotRead"/>.</summary>
    public FileReadException()
    {
        Problem = FileReadProblem.CannotRead;
    }

    /// <summary>A failed read said in <paramref name="message"/>: <see cref="FileReadProblem.CannotRead"/>.</summary>
    public FileReadException(string message)
        : this(message, null!)
    {
    }

    /// <summary>A failed read said in <paramref name="message"/>: <see cref="FileReadProblem.CannotRead"/>.</summary>
    public FileReadException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problem = FileReadProblem.CannotRead;
        Reason = message ?? "";
    }

    internal FileReadException(FileReadProblem problem, string reason, FileKind kind = FileKind.Other, long limit = 0, Exception? inner = null)
        : base(MessageFor(problem, reason, kind, limit), inner)
    {
        Problem = problem;
        Reason = Native.LowerFirst(reason);
        Kind = kind;
        Limit = limit;
    }

    public FileReadProblem Problem { get; }

    /// <summary>What the system said, starting lower-case ("permission denied"), for the problems that come from a failed call; else empty.</summary>
    public string Reason { get; } = "";

    /// <summary>What the path names, for <see cref="FileReadProblem.NotRegular"/>.</summary>
    public FileKind Kind { get; }

    /// <summary>The most the caller allowed, in bytes, for <see cref="FileReadProblem.TooLarge"/>.</summary>
    public long Limit { get; }

    private static string MessageFor(FileReadProblem problem, string reason, FileKind kind, long limit) => problem switch
    {
        FileReadProblem.NotAFileName => $"is not a file name: {reason}",
        FileReadProblem.Missing => "no such file",
        FileReadProblem.NotRegular => $"is {kind.Describe()}, not a regular file",
        FileReadProblem.TooLarge => $"is larger than {limit} bytes",
        FileReadProblem.CannotExamine => $"cannot be examined: {reason}",
        FileReadProblem.CannotOpen => $"cannot be opened: {reason}",
        _ => $"cannot be read: {reason}",
    };
}
