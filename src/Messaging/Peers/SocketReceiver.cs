using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace ClusterD.Messaging.Peers;

/// <summary>
/// Receives one authenticated session on a thread of its own: recv(2) straight into a pipe whose reader
/// runs inline, so a frame is verified and dispatched on the thread that read it. This saves the two
/// wake-ups the runtime's socket engine costs per arrival (epoll thread, then a thread-pool worker),
/// which dominate a round trip on loopback.
/// </summary>
/// <remarks>
/// Stopping is deterministic: <see cref="Stop"/> marks the receiver stopped and the owner shuts the
/// socket down, which wakes poll(2); poll also wakes every <see cref="PollMilliseconds"/> to look at the
/// mark and the handle, so no close path can leave the thread (and the socket's handle) waiting. The
/// thread holds a reference on the socket's handle while it runs, so the descriptor is never closed
/// (or reused) under it; the owner disposes the socket only after <see cref="Stopped"/>.
/// </remarks>
internal sealed partial class SocketReceiver
{
    /// <summary>
    /// Longest the thread sleeps in poll(2) without looking whether it should stop: a fallback only (every
    /// close path shuts the socket down, which wakes it at once), so it is long enough not to weigh on an
    /// idle daemon, for which every wake-up costs more than its heartbeats' work.
    /// </summary>
    internal const int PollMilliseconds = 1000;

    private const int ReadSize = 64 * 1024;
    private const int MsgDontWait = 0x40;
    private const short PollIn = 0x001;
    private const int EIntr = 4;
    private const int EAgain = 11;

    private readonly Socket _socket;
    private readonly Pipe _pipe;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _stopping;

    public SocketReceiver(Socket socket)
    {
        _socket = socket;

        // The reader runs inline in the receive thread's flush. The writer never pauses: the reader consumes
        // every whole frame before the flush returns, so the pipe holds at most one partial frame (bounded
        // by the frame reader's maximum body) plus one read.
        _pipe = new Pipe(new PipeOptions(
            readerScheduler: PipeScheduler.Inline,
            writerScheduler: PipeScheduler.Inline,
            pauseWriterThreshold: 0,
            minimumSegmentSize: ReadSize,
            useSynchronizationContext: false));
    }

    /// <summary>What the socket delivers; completes at end of stream, or with the error that ended it.</summary>
    public PipeReader Reader => _pipe.Reader;

    /// <summary>Completes once the thread has ended and released the socket's handle.</summary>
    public Task Stopped => _stopped.Task;

    /// <summary>Starts the thread, delivering <paramref name="buffered"/> (read before it started) first.</summary>
    public void Start(ReadOnlySequence<byte> buffered, string name)
    {
        foreach (var segment in buffered)
        {
            _pipe.Writer.Write(segment.Span);
        }

        new Thread(Run) { IsBackground = true, Name = name }.Start();
    }

    /// <summary>Tells the thread to end; shutting the socket down wakes it at once, else it notices within <see cref="PollMilliseconds"/>.</summary>
    public void Stop() => _stopping = true;

    private void Run()
    {
        var handle = _socket.SafeHandle;
        var referenced = false;
        Exception? failure = null;
        try
        {
            handle.DangerousAddRef(ref referenced);
            var fd = (int)handle.DangerousGetHandle();
            var writer = _pipe.Writer;
            if (writer.UnflushedBytes > 0 && Flush(writer))
            {
                return;
            }

            while (!_stopping && !handle.IsClosed)
            {
                var memory = writer.GetMemory(ReadSize);
                var received = Receive(fd, memory.Span);
                if (received > 0)
                {
                    writer.Advance((int)received);
                    if (Flush(writer))
                    {
                        return;
                    }
                }
                else if (received == 0)
                {
                    return;
                }
                else
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == EAgain)
                    {
                        WaitReadable(fd);
                    }
                    else if (errno != EIntr)
                    {
                        failure = new IOException(Marshal.GetPInvokeErrorMessage(errno));
                        return;
                    }
                }
            }
        }
        catch (Exception e)
        {
            // Whatever ends the thread ends the stream with it; the session's reader reports it.
            failure = e;
        }
        finally
        {
            if (referenced)
            {
                handle.DangerousRelease();
            }

            _pipe.Writer.Complete(failure);
            _stopped.TrySetResult();
        }
    }

    /// <summary>Hands what was read to the reader (which runs here); true once the reader is gone.</summary>
    private static bool Flush(PipeWriter writer)
    {
        var flush = writer.FlushAsync();
        var result = flush.IsCompleted ? flush.Result : flush.AsTask().GetAwaiter().GetResult();
        return result.IsCompleted || result.IsCanceled;
    }

    private static unsafe nint Receive(int fd, Span<byte> buffer)
    {
        fixed (byte* pointer = buffer)
        {
            return Recv(fd, pointer, buffer.Length, MsgDontWait);
        }
    }

    private static unsafe void WaitReadable(int fd)
    {
        var poll = new PollFd { Fd = fd, Events = PollIn };
        _ = Poll(&poll, 1, PollMilliseconds);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short ReturnedEvents;
    }

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static unsafe partial nint Recv(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static unsafe partial int Poll(PollFd* fds, nuint count, int timeout);
}
