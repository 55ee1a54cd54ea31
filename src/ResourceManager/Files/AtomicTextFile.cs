using System.Text;

namespace ClusterD.ResourceManager.Files;

/// <summary>
/// Writes an output file an administrator names (<c>--status-out</c>): only a regular file is
/// written, never a device, FIFO, socket or directory that happens to carry the name, and the
/// write is atomic: a temporary file in the same directory, flushed to disk, renamed over the
/// target, so a reader sees the old file or the whole new one. A symbolic link to a regular file
/// is followed and its target replaced; the link stays.
/// </summary>
public static class AtomicTextFile
{
    /// <summary>Writes <paramref name="text"/> as UTF-8 to <paramref name="path"/>; false with a one-line message.</summary>
    public static bool TryWrite(string path, string text, out string error)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(text);
        if (path.Length == 0 || path.Contains('\0', StringComparison.Ordinal))
        {
            error = "not a file name";
            return false;
        }

        var target = path;
        if (PosixFile.TryStat(path, out var type, out _, out var errno))
        {
            if (type != PosixFileType.Regular)
            {
                error = $"not a regular file ({BoundedFile.Describe(type)}); only a regular file is written";
                return false;
            }

            target = File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
        }
        else if (errno != PosixFile.Enoent)
        {
            error = $"cannot write: {PosixFile.Describe(errno)}";
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
