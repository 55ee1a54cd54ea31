using System.Runtime.InteropServices;
using ClusterD.Platform.Files;
using Microsoft.Win32.SafeHandles;

namespace ClusterD.Platform.Watchdog;

/// <summary>
/// An open Linux watchdog, spoken to as the kernel's watchdog API says (Documentation/watchdog/watchdog-api.rst):
/// opening a character device starts its timer, every write feeds it, <c>WDIOC_SETTIMEOUT</c> sets its
/// timeout, and writing the magic character <c>V</c> just before closing stops it; closing without it
/// leaves the timer running, and the machine resets when it expires. What the path is, is checked before
/// and after opening: a character device is the real thing; a FIFO or a regular file is written the same
/// way (the timeout ioctls are skipped for them, and <see cref="Detail"/> says so), which is how a test or
/// an external supervisor observes the feeding. Anything else (a directory, a socket, nothing) is refused.
/// </summary>
public sealed class WatchdogDevice : IDisposable
{
    /// <summary>What one feed writes: any byte but <c>V</c> feeds (and cancels a pending magic close).</summary>
    public const byte FeedByte = (byte)'.';

    /// <summary>The magic close character.</summary>
    public const byte MagicClose = (byte)'V';

    // linux/watchdog.h: _IOWR('W', 6, int) and _IOR('W', 7, int); the same numbers on x86-64 and arm64.
    private const nuint SetTimeoutRequest = 0xC0045706;
    private const nuint GetTimeoutRequest = 0x80045707;

    private readonly SafeFileHandle _handle;

    private WatchdogDevice(string path, FileKind kind, SafeFileHandle handle, int? timeoutSeconds, string detail)
    {
        Path = path;
        Kind = kind;
        _handle = handle;
        TimeoutSeconds = timeoutSeconds;
        Detail = detail;
    }

    public string Path { get; }

    public FileKind Kind { get; }

    /// <summary>The timeout the driver runs with, when it said (character devices only).</summary>
    public int? TimeoutSeconds { get; }

    /// <summary>What was opened and how, in words, for the log and status.</summary>
    public string Detail { get; }

    /// <summary>True once <see cref="Disarm"/> or <see cref="Dispose"/> closed it.</summary>
    public bool IsClosed => _handle.IsClosed;

    /// <summary>
    /// Opens (and so arms) the watchdog at <paramref name="path"/> and asks for <paramref name="timeoutSeconds"/>.
    /// </summary>
    /// <exception cref="WatchdogException">The path is not a character device, FIFO or regular file, or cannot be opened.</exception>
    public static WatchdogDevice Open(string path, int timeoutSeconds)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(timeoutSeconds, 1);
        FileFacts? facts;
        try
        {
            facts = FileStat.Of(path, followLinks: true);
        }
        catch (IOException e)
        {
            throw new WatchdogException($"watchdog {path} {e.Message}");
        }

        var kind = facts?.Kind ?? throw new WatchdogException($"watchdog {path} does not exist (load a driver, e.g. softdog, or fix clusterd.watchdog.device)");
        var flags = Native.OWrOnly | Native.OCloExec | kind switch
        {
            FileKind.CharacterDevice => 0,

            // A FIFO opened for writing blocks until it has a reader: never block the controller; no reader is an error.
            FileKind.Fifo => Native.ONonBlock,
            FileKind.Regular => Native.OAppend,
            _ => throw new WatchdogException($"watchdog {path} is {kind.Describe()}, not a character device (nor a FIFO or regular file)"),
        };
        var fd = Native.Open(path, flags);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new WatchdogException(errno == Native.ENxIo && kind == FileKind.Fifo
                ? $"watchdog {path} is a FIFO nobody reads"
                : $"watchdog {path} cannot be opened: {Native.LowerFirst(Native.ErrorText(errno))}");
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            // The file opened must be the file checked (the name may have been replaced in between).
            if (!FileStat.TryOf(handle, out var opened, out _) || opened.Kind != kind || opened.Inode != facts.Value.Inode)
            {
                throw new WatchdogException($"watchdog {path} changed while it was opened");
            }

            if (kind != FileKind.CharacterDevice)
            {
                return new WatchdogDevice(path, kind, handle, null, $"{kind.Describe()[2..]}, not a character device: written to as a watchdog, the timeout ioctls skipped");
            }

            var (timeout, detail) = SetTimeout(handle, timeoutSeconds);
            return new WatchdogDevice(path, kind, handle, timeout, detail);
        }
        catch
        {
            // No magic close: a device opened is armed, and a failure here must not silently disarm it.
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Feeds it: one write.</summary>
    /// <exception cref="WatchdogException">The write failed (the watchdog is then not fed).</exception>
    public void Feed() => WriteByte(FeedByte);

    /// <summary>Stops it cleanly: the magic character, then close. Nothing is reset.</summary>
    /// <exception cref="WatchdogException">The write failed; the device is closed anyway (and may still reset the machine).</exception>
    public void Disarm()
    {
        try
        {
            WriteByte(MagicClose);
        }
        finally
        {
            _handle.Dispose();
        }
    }

    /// <summary>Closes without the magic character: a running watchdog keeps counting and resets the machine.</summary>
    public void Dispose() => _handle.Dispose();

    private unsafe void WriteByte(byte value)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        nint written;
        do
        {
            written = Native.Write(_handle, &value, 1);
        }
        while (written < 0 && Marshal.GetLastPInvokeError() == Native.EIntr);

        if (written != 1)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new WatchdogException(written == 0 || errno == Native.EAgain
                ? $"watchdog {Path} took nothing (a FIFO nobody reads?)"
                : $"watchdog {Path} write failed: {Native.LowerFirst(Native.ErrorText(errno))}");
        }
    }

    private static unsafe (int? Timeout, string Detail) SetTimeout(SafeFileHandle handle, int wanted)
    {
        var value = wanted;
        if (Native.Ioctl(handle, SetTimeoutRequest, &value) == 0)
        {
            // The driver may round (e.g. to its granularity): it answers with the timeout it set.
            return (value, value == wanted ? $"character device, timeout {value} s" : $"character device, timeout {value} s (asked for {wanted} s)");
        }

        var errno = Marshal.GetLastPInvokeError();
        var current = 0;
        return Native.Ioctl(handle, GetTimeoutRequest, &current) == 0
            ? (current, $"character device that cannot set its timeout ({Native.LowerFirst(Native.ErrorText(errno))}); it runs with {current} s")
            : (null, $"character device that neither sets nor reports its timeout ({Native.LowerFirst(Native.ErrorText(errno))})");
    }
}

/// <summary>A watchdog that cannot be opened or written; the message names the path and the reason.</summary>
public sealed class WatchdogException : Exception
{
    public WatchdogException(string message)
        : base(message)
    {
    }

    public WatchdogException()
    {
    }

    public WatchdogException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
