using System.Globalization;
using System.Text;
using ClusterD.Platform.Files;

namespace ClusterD.Fencing.Azure;

/// <summary>
/// Reads a service principal's secret or certificate file. The path is examined before anything is
/// opened: it must name a regular file itself (not a link, FIFO or device) whose mode grants nothing
/// beyond owner read and write (0600 or 0400), and it is read with a bound. A file anyone else can
/// read is refused rather than used: its secret must be taken as already known.
/// </summary>
public static class AzureCredentialFile
{
    /// <summary>Largest accepted file: a PEM certificate chain with its key is a few KiB.</summary>
    public const int MaxBytes = 64 * 1024;

    private const UnixFileMode Allowed = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The file's text, trailing line breaks removed.</summary>
    /// <exception cref="AzureCredentialException">The path is not a 0600 regular file, is too large, or cannot be read.</exception>
    public static string ReadText(string path, string parameter)
    {
        ArgumentNullException.ThrowIfNull(path);
        FileFacts? before;
        try
        {
            before = FileStat.Of(path, followLinks: false);
        }
        catch (IOException e)
        {
            throw new AzureCredentialException($"{parameter} {path}: {e.Message}");
        }

        switch (before)
        {
            case null:
                throw new AzureCredentialException($"{parameter} {path} does not exist");
            case { Kind: not FileKind.Regular } facts:
                throw new AzureCredentialException($"{parameter} {path} is {facts.Kind.Describe()}, not a regular file; name the file itself");
            case { } facts:
                RequirePrivate(facts, path, parameter);
                break;
        }

        byte[] bytes;
        try
        {
            // Checked again on the descriptor actually opened: the name may have been swapped since.
            bytes = RegularFile.Read(path, MaxBytes, facts => RequirePrivate(facts, path, parameter));
        }
        catch (FileReadException e)
        {
            throw new AzureCredentialException($"{parameter} {path} {e.Message}");
        }

        try
        {
            return Encoding.UTF8.GetString(bytes).TrimEnd('\r', '\n');
        }
        finally
        {
            Array.Clear(bytes);
        }
    }

    private static void RequirePrivate(FileFacts facts, string path, string parameter)
    {
        if ((facts.Mode & ~Allowed) != 0)
        {
            var mode = Convert.ToString((int)facts.Mode, 8).PadLeft(4, '0');
            throw new AzureCredentialException(string.Create(CultureInfo.InvariantCulture,
                $"{parameter} {path} has mode {mode}; it holds a secret and must be 0600 (chmod 600 {path})"));
        }
    }
}
