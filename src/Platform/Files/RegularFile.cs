using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ClusterD.Platform.Files;

/// <summary>
/// Reads a file an administrator names (configuration, cluster keys, status, state) without trusting the
/// name: only a regular file is read, never more than a stated number of bytes, and the checks are made
/// on the file actually opened (statx of the descriptor), so a path swapped between the check and the
/// open cannot smuggle in a FIFO or a device. The open does not block (<c>O_NONBLOCK</c>): a FIFO is
/// refused, not waited on. Symbolic links are followed: the rules apply to the file they lead to.
/// </summary>
public static class RegularFile
{
    private const int InitialBuffer = 4096;

    /// <summary>
    /// All of <paramref name="path"/>, at most <paramref name="maxBytes"/> bytes. <paramref name="check"/>
    /// sees the opened file's facts before any byte is read and may throw to refuse it.
    /// </summary>
    /// <exception cref="FileReadException">Not a file name, missing, not a regular file, larger than the bound, or unreadable.</exception>
    public static byte[] Read(string path, long maxBytes, Action<FileFacts>? check = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(maxBytes, (long)Array.MaxLength);
        if (path.Length == 0 || path.Contains('\0', StringComparison.Ordinal))
        {
            throw new FileReadException(FileReadProblem.NotAFileName, path.Length == 0 ? "it is empty" : "it contains a NUL character");
        }

        // Checked before opening too: opening a device can act (a watchdog arms, a tape rewinds).
        var before = StatBeforeOpening(path);
        RequireRegular(before);
        var fd = Native.Open(path, Native.ORdOnly | Native.ONoCtty | Native.ONonBlock | Native.OCloExec);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw errno == Native.ENoEnt
                ? new FileReadException(FileReadProblem.Missing, "")
                : new FileReadException(FileReadProblem.CannotOpen, Native.ErrorText(errno));
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (!FileStat.TryOf(handle, out var facts, out var statErrno))
        {
            throw new FileReadException(FileReadProblem.CannotExamine, Native.ErrorText(statErrno));
        }

        RequireRegular(facts);
        check?.Invoke(facts);

        // The size from statx is believed when it says too large (a sparse file need not be read to be
        // refused) but not when it says small: files under /proc report 0, and a file can grow.
        if (facts.Length > maxBytes)
        {
            throw new FileReadException(FileReadProblem.TooLarge, "", limit: maxBytes);
        }

        return ReadBounded(handle, facts.Length, maxBytes);
    }

    private static FileFacts StatBeforeOpening(string path)
    {
        if (FileStat.TryOf(path, followLinks: true, out var facts, out var errno))
        {
            return facts;
        }

        throw errno is Native.ENoEnt or Native.ENotDir
            ? new FileReadException(FileReadProblem.Missing, "")
            : new FileReadException(FileReadProblem.CannotExamine, Native.ErrorText(errno));
    }

    private static void RequireRegular(FileFacts facts)
    {
        if (facts.Kind != FileKind.Regular)
        {
            throw new FileReadException(FileReadProblem.NotRegular, "", facts.Kind);
        }
    }

    /// <summary>
    /// Reads until the end or one byte past <paramref name="maxBytes"/>, which tells "exactly at the bound"
    /// from "larger". Buffers that are let go are cleared: the file may be a key.
    /// </summary>
    private static byte[] ReadBounded(SafeFileHandle handle, long reportedLength, long maxBytes)
    {
        var limit = (int)(maxBytes + 1);
        var buffer = new byte[(int)Math.Min(Math.Max(reportedLength + 1, InitialBuffer), limit)];
        var total = 0;
        try
        {
            while (total < limit)
            {
                if (total == buffer.Length)
                {
                    var larger = new byte[(int)Math.Min((long)buffer.Length * 2, limit)];
                    buffer.AsSpan(0, total).CopyTo(larger);
                    Array.Clear(buffer);
                    buffer = larger;
                }

                var read = RandomAccess.Read(handle, buffer.AsSpan(total), total);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }

            if (total > maxBytes)
            {
                throw new FileReadException(FileReadProblem.TooLarge, "", limit: maxBytes);
            }

            return buffer[..total];
        }
        catch (IOException e) when (e is not FileReadException)
        {
            throw new FileReadException(FileReadProblem.CannotRead, e.Message, inner: e);
        }
        finally
        {
            Array.Clear(buffer);
        }
    }
}
