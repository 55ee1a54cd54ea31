using System.Buffers;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace ClusterD.ResourceManager.Files;

/// <summary>
/// Reads a file an administrator names, treating the name as hostile: only a regular file is read
/// (a FIFO is opened without blocking and refused, like a directory, a device or a socket), and
/// never more than the limit of its <see cref="InputFileKind"/>, counted while reading because a
/// file can grow after its size was checked. Errors are one line in the user's terms, without the
/// path (callers put it in front): <c>not a regular file (a character device)</c>,
/// <c>larger than the 8 MiB limit for a configuration</c>.
/// </summary>
public static class BoundedFile
{
    /// <summary>The text of <paramref name="path"/> (UTF-8 unless a byte order mark says otherwise); false with a message.</summary>
    public static bool TryReadText(string path, InputFileKind kind, out string text, out string error)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(kind);
        text = "";
        if (!TryReadBytes(path, kind, out var bytes, out var length, out error))
        {
            return false;
        }

        try
        {
            using var reader = new StreamReader(new MemoryStream(bytes, 0, length), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            text = reader.ReadToEnd();
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>How messages name a file type: "a character device", "a FIFO".</summary>
    public static string Describe(PosixFileType type) => type switch
    {
        PosixFileType.Regular => "a regular file",
        PosixFileType.Directory => "a directory",
        PosixFileType.CharacterDevice => "a character device",
        PosixFileType.BlockDevice => "a block device",
        PosixFileType.Fifo => "a FIFO",
        PosixFileType.Socket => "a socket",
        _ => "not a kind of file ClusterD reads",
    };

    /// <summary>The bytes, in a pooled buffer the caller returns.</summary>
    private static bool TryReadBytes(string path, InputFileKind kind, out byte[] bytes, out int length, out string error)
    {
        bytes = [];
        length = 0;
        if (path.Length == 0 || path.Contains('\0', StringComparison.Ordinal))
        {
            error = "not a file name";
            return false;
        }

        var fd = PosixFile.OpenForReading(path);
        if (fd < 0)
        {
            error = -fd == PosixFile.Enoent ? "no such file" : $"cannot open: {PosixFile.Describe(-fd)}";
            return false;
        }

        using var handle = new SafeFileHandle((nint)fd, ownsHandle: true);
        if (!PosixFile.TryStat(fd, out var type, out var size, out var errno))
        {
            error = $"cannot read: {PosixFile.Describe(errno)}";
            return false;
        }

        if (type != PosixFileType.Regular)
        {
            error = $"not a regular file ({Describe(type)})";
            return false;
        }

        if (size > kind.MaxBytes)
        {
            error = TooLarge(kind);
            return false;
        }

        // One byte past the limit tells "exactly at the limit" from "grew past it".
        var limit = (int)Math.Min(kind.MaxBytes + 1, int.MaxValue);
        bytes = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(size + 1, 4096), limit));
        try
        {
            while (length < limit)
            {
                if (length == bytes.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)bytes.Length * 2, limit));
                    bytes.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(bytes);
                    bytes = larger;
                }

                var read = RandomAccess.Read(handle, bytes.AsSpan(length, Math.Min(bytes.Length, limit) - length), length);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }
        }
        catch (IOException e)
        {
            ArrayPool<byte>.Shared.Return(bytes);
            error = $"cannot read: {e.Message}";
            return false;
        }

        if (length > kind.MaxBytes)
        {
            ArrayPool<byte>.Shared.Return(bytes);
            error = TooLarge(kind);
            return false;
        }

        error = "";
        return true;
    }

    private static string TooLarge(InputFileKind kind) => $"larger than the {kind.LimitText} limit for {kind.Name}";
}
