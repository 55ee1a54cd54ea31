using System.Text;

namespace ClusterD.ResourceManager.Files;

/// <summary>
/// Writes an output file an administrator names (<c>--status-out</c>): only a regular file is
/// written, never a device, FIFO, socket or directory that happens to carry the name, and the
/// write is atomic: a temporary file in the same directory, flushed to disk, renamed over the
/// target, so a reader sees the old file or the whole new one. A replaced file keeps its mode. A
/// symbolic link to a regular file is followed and its target replaced; the link stays.
/// </summary>
public static class AtomicTextFile
{
    /// <summary>
    /// Whether <paramref name="path"/> may be written: missing, or a regular file. Commands check
    /// before they do their work so a wrong name fails at once; <see cref="TryWrite"/> checks again.
    /// </summary>
    public static bool TryCheckTarget(string path, out string error) => TryResolve(path, out _, out error);

    /// <summary>Writes <paramref name="text"/> as UTF-8 to <paramref name="path"/>; false with a one-line message.</summary>
    public static bool TryWrite(string path, string text, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryResolve(path, out var target, out error))
        {
            return false;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(target))!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(Encoding.UTF8.GetBytes(text));
                stream.Flush(flushToDisk: true);
            }

            if (File.Exists(target))
            {
                // The replacement keeps the permissions the administrator gave the file.
                File.SetUnixFileMode(temporary, File.GetUnixFileMode(target));
            }

            File.Move(temporary, target, overwrite: true);
            error = "";
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            error = e is UnauthorizedAccessException ? $"cannot write: permission denied in {directory}" : $"cannot write: {e.Message}";
            return false;
        }
    }

    /// <summary>The file to replace: <paramref name="path"/>, or the regular file its symbolic links end at.</summary>
    private static bool TryResolve(string path, out string target, out string error)
    {
        ArgumentNullException.ThrowIfNull(path);
        target = path;
        error = "";
        if (path.Length == 0 || path.Contains('\0', StringComparison.Ordinal))
        {
            error = "not a file name";
            return false;
        }

        if (PosixFile.TryStat(path, out var type, out _, out var errno))
        {
            if (type != PosixFileType.Regular)
            {
                error = $"not a regular file ({BoundedFile.Describe(type)}); only a regular file is written";
                return false;
            }

            target = File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
            return true;
        }

        if (errno != PosixFile.Enoent)
        {
            error = $"cannot write: {PosixFile.Describe(errno)}";
            return false;
        }

        return true;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing was renamed; a leftover temporary file is all that remains.
        }
    }
}
