using System.Text;
using ClusterD.Platform.Files;

namespace ClusterD.ResourceManager.Files;

/// <summary>
/// Reads a file an administrator hands to <c>clusterctl</c> through <see cref="RegularFile"/> (a regular
/// file only, opened without blocking, never more than the limit of its <see cref="InputFileKind"/>) and
/// says what went wrong in one line without the path (callers put it in front):
/// <c>not a regular file (a character device)</c>, <c>larger than the 8 MiB limit for a configuration</c>.
/// </summary>
public static class BoundedFile
{
    /// <summary>The text of <paramref name="path"/> (UTF-8 unless a byte order mark says otherwise); false with a message.</summary>
    public static bool TryReadText(string path, InputFileKind kind, out string text, out string error)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(kind);
        text = "";
        byte[] bytes;
        try
        {
            bytes = RegularFile.Read(path, kind.MaxBytes);
        }
        catch (FileReadException e)
        {
            error = Explain(e, kind);
            return false;
        }

        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        text = reader.ReadToEnd();
        error = "";
        return true;
    }

    private static string Explain(FileReadException e, InputFileKind kind) => e.Problem switch
    {
        FileReadProblem.NotAFileName => "not a file name",
        FileReadProblem.Missing => "no such file",
        FileReadProblem.NotRegular => $"not a regular file ({e.Kind.Describe()})",
        FileReadProblem.TooLarge => $"larger than the {kind.LimitText} limit for {kind.Name}",
        FileReadProblem.CannotRead => $"cannot read: {e.Reason}",
        _ => $"cannot open: {e.Reason}",
    };
}
