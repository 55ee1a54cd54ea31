using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace ClusterD.Messaging.Peers;

/// <summary>
/// Feeds a pipe from a connected socket on a dedicated thread that blocks in <c>recv</c>, and runs the
/// pipe's reader inline on that thread. Arriving bytes then wake one thread (this one) instead of the
/// socket engine's epoll thread and then a thread-pool worker, which halves the wake-ups of a request
/// round trip. Used only for authenticated sessions (one thread per peer), never for connections
/// still in their handshake, so unauthenticated connections cannot make threads. The thread ends when
/// the socket is shut down or closed.
/// </summary>
internal sealed class SocketReceiver
{
    private const int ReceiveSize = 64 * 1024;

    private readonly Socket _socket;
    private readonly Pipe _pipe;
    private readonly Thread _thread;

    /// <param name="largestFrame">The largest frame the reader must see whole: the pipe never pauses below twice that.</param>
    public SocketReceiver(Socket socket, int largestFrame)
    {
        _socket = socket;
        var pause = Math.Max(2L * (largestFrame + ReceiveSize), 1L << 20);
        _pipe = new Pipe(new PipeOptions(
            readerScheduler: PipeScheduler.Inline,
            writerScheduler: PipeScheduler.Inline,
            pauseWriterThreshold: pause,
            resumeWriterThreshold: pause / 2,
            minimumSegmentSize: ReceiveSize,
            useSynchronizationContext: false));
        _thread = new Thread(Run) { IsBackground = true, Name = "clusterd peer receive" };
    }

    public PipeReader Reader => _pipe.Reader;

    /// <summary>Starts receiving, after <paramref name="alreadyReceived"/> (what the handshake's reader had buffered beyond the Hello).</summary>
    public void Start(ReadOnlySequence<byte> alreadyReceived)
    {
        foreach (var segment in alreadyReceived)
        {
            _pipe.Writer.Write(segment.Span);
        }

        // Nobody reads yet and the pipe pauses far above one receive buffer: this flush completes at once.
        var flush = _pipe.Writer.FlushAsync();
        _ = flush.IsCompleted ? flush.Result : flush.AsTask().GetAwaiter().GetResult();
        _thread.Start();
    }

    private void Run()
    {
        Exception? failure = null;
        try
        {
            while (true)
            {
                var received = _socket.Receive(_pipe.Writer.GetMemory(ReceiveSize).Span);
                if (received == 0)
                {
                    break;
                }

                _pipe.Writer.Advance(received);

                // The reader runs inline here; the flush only waits when the reader has fallen behind by the pause threshold.
                var flush = _pipe.Writer.FlushAsync();
                var result = flush.IsCompleted ? flush.Result : flush.AsTask().GetAwaiter().GetResult();
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (SocketException e)
        {
            failure = new IOException(e.Message, e);
        }
        catch (ObjectDisposedException)
        {
            // Closed locally: the session is already ending.
        }

        _pipe.Writer.Complete(failure);
    }
}
