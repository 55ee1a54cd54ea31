using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace ClusterD.Platform.Files;

/// <summary>
/// Writes an output file an administrator names (<c>--status-out</c>): only a regular file is
/// written, never a device, FIFO, socket or directory that happens to carry the name, and the
/// write is atomic and durable: a temporary file in the same directory, flushed to disk, renamed
/// over the target, then the directory flushed so the rename itself survives a crash. A reader sees
/// the old file or the whole new one. A replaced file keeps its mode. A symbolic link to a regular
/// file is followed and its target replaced; the link stays.
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
            FlushDirectory(directory);
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

        if (FileStat.TryOf(path, followLinks: true, out var facts, out var errno))
        {
            if (facts.Kind != FileKind.Regular)
            {
                error = $"not a regular file ({facts.Kind.Describe()}); only a regular file is written";
                return false;
            }

            target = File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
            return true;
        }

        if (errno != Native.ENoEnt)
        {
            error = $"cannot write: {Native.LowerFirst(Native.ErrorText(errno))}";
            return false;
        }

        return true;
    }

    /// <summary>fsync of the directory: the rename is a change to the directory, and only this makes it durable.</summary>
    /// <remarks>Without O_DIRECTORY: its value differs between x86-64 and arm64, and the path is the parent of a file just renamed into it.</remarks>
    private static void FlushDirectory(string directory)
    {
        var fd = Native.Open(directory, Native.ORdOnly | Native.OCloExec);
        if (fd < 0)
        {
            throw new IOException($"the new file is in place but {directory} cannot be opened to flush it: {Native.LowerFirst(Native.ErrorText(Marshal.GetLastPInvokeError()))}");
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (Native.Fsync(handle) != 0)
        {
            throw new IOException($"the new file is in place but {directory} cannot be flushed: {Native.LowerFirst(Native.ErrorText(Marshal.GetLastPInvokeError()))}");
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
