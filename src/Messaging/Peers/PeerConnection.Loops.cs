using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Pipelines;
using ClusterD.Messaging.Framing;
using ClusterD.Messaging.Wire;
using Google.Protobuf;

namespace ClusterD.Messaging.Peers;

public sealed partial class PeerConnection
{
    private async Task ReadLoopAsync(PipeReader input)
    {
        var token = _closing.Token;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(token);
                var buffer = result.Buffer;
                FrameError error;
                _dispatching = true;
                try
                {
                    while (_reader.TryRead(ref buffer, out var frame, out error))
                    {
                        if (!Dispatch(frame, out var problem))
                        {
                            Close(problem);
                            return;
                        }
                    }
                }
                finally
                {
                    _dispatching = false;
                }

                if (error != FrameError.None)
                {
                    _owner!.OnRejected(this, error);
                    Close($"refused frame: {error}");
                    return;
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    Close("the peer closed the connection");
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Closed locally.
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            Close($"connection lost: {e.Message}");
        }
        catch (Exception e)
        {
            // Whatever went wrong reading this session, it ends here and never takes the daemon down.
            Close($"read loop failed: {e.GetType().Name}: {e.Message}");
        }
    }

    private bool Dispatch(Frame frame, out string problem)
    {
        problem = "";
        switch (frame.Type)
        {
            case FrameType.Data:
                // One or more messages, each a varint length and a PeerMessage.
                var body = frame.Body.Span;
                while (!body.IsEmpty)
                {
                    var length = ReadVarint(body, out var prefix);
                    if (length < 0 || length > body.Length - prefix)
                    {
                        _owner!.OnRejected(this, FrameError.BadBody);
                        problem = $"refused frame: {FrameError.BadBody} (message length)";
                        return false;
                    }

                    PeerMessage message;
                    try
                    {
                        message = PeerMessage.Parser.ParseFrom(body.Slice(prefix, length));
                    }
                    catch (InvalidProtocolBufferException e)
                    {
                        _owner!.OnRejected(this, FrameError.BadBody);
                        problem = $"refused frame: {FrameError.BadBody} ({e.Message})";
                        return false;
                    }

                    if (message.Kind is not (PeerMessage.Types.Kind.OneWay or PeerMessage.Types.Kind.Request or PeerMessage.Types.Kind.Response))
                    {
                        _owner!.OnRejected(this, FrameError.BadBody);
                        problem = $"refused frame: {FrameError.BadBody} (message kind {message.Kind})";
                        return false;
                    }

                    _owner!.OnMessage(this, message);
                    body = body[(prefix + length)..];
                }

                return true;
            case FrameType.Ping:
                if (frame.Body.Length == 8)
                {
                    _queue.Writer.TryWrite(new Outgoing(FrameType.Pong, null, BinaryPrimitives.ReadInt64BigEndian(frame.Body.Span), 0));
                }

                return true;
            case FrameType.Pong:
                if (frame.Body.Length == 8)
                {
                    var sample = Stopwatch.GetElapsedTime(BinaryPrimitives.ReadInt64BigEndian(frame.Body.Span));
                    Rtt = Rtt is { } s ? ((s * 7) + sample) / 8 : sample;
                }

                return true;
            default:
                _owner!.OnRejected(this, FrameError.Unexpected);
                problem = $"refused frame: {FrameError.Unexpected} ({frame.Type} after the handshake)";
                return false;
        }
    }

    private async Task WriteLoopAsync()
    {
        var token = _closing.Token;
        try
        {
            while (await _queue.Reader.WaitToReadAsync(token))
            {
                await _writeLock.WaitAsync(token);
                try
                {
                    await DrainAsync(token);
                }
                finally
                {
                    _writeLock.Release();
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Closed locally.
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or InvalidOperationException)
        {
            Close($"connection lost while sending: {e.Message}");
        }
    }

    /// <summary>Writes everything queued as few frames and flushes; the caller holds the write lock.</summary>
    private async Task DrainAsync(CancellationToken token)
    {
        // Coalesce what is queued: consecutive messages share one Data frame (one tag, one header)
        // up to BatchBytes; pings and pongs end the batch so the order on the wire stays FIFO.
        while (_queue.Reader.TryRead(out var item))
        {
            if (item.Message is { } message)
            {
                // A message that would push the batch past BatchBytes starts a new frame, so no
                // frame is larger than the largest single message (which CheckSize bounds).
                var size = item.Size;
                _budget.Give(size);
                if (_batchLength > 0 && _batchLength + 5 + size > BatchBytes)
                {
                    WriteBatch();
                }

                Append(message, size);
                if (_batchLength >= BatchBytes)
                {
                    WriteBatch();
                }
            }
            else
            {
                WriteBatch();
                WriteStamp(item);
            }

            if (_output.UnflushedBytes >= FlushThreshold)
            {
                await _output.FlushAsync(token);
            }
        }

        WriteBatch();
        await _output.FlushAsync(token);
    }

    /// <summary>
    /// Writes <paramref name="message"/> from the sender's thread when the link is idle: nothing queued,
    /// the write lock free, and no send in the last <see cref="IdleGap"/>. FIFO holds because the write
    /// loop only releases the lock once what it dequeued is in the pipe. False: queue it instead.
    /// </summary>
    private bool TryWriteNow(PeerMessage message)
    {
        var now = Stopwatch.GetTimestamp();
        var previous = Interlocked.Exchange(ref _lastSend, now);
        if (now - previous < IdleGap || _queue.Reader.Count > 0 || !_writeLock.Wait(0))
        {
            return false;
        }

        var handedOver = false;
        try
        {
            if (_queue.Reader.Count > 0 || _closing.IsCancellationRequested)
            {
                return false;
            }

            Append(message, message.CalculateSize());
            WriteBatch();
            var flush = _output.FlushAsync(_closing.Token);
            if (!flush.IsCompletedSuccessfully)
            {
                // The socket is full: the flush finishes in the background holding the write lock, so later
                // sends queue up (bounded) behind it; the sender does not wait, as if it had queued.
                handedOver = true;
                _ = FinishFlushAsync(flush);
            }

            return true;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            // Like a message still queued when the session closes: dropped, and the close says why.
            Close($"connection lost while sending: {e.Message}");
            return true;
        }
        finally
        {
            if (!handedOver)
            {
                _writeLock.Release();
            }
        }
    }

    /// <summary>Completes a direct write whose flush had to wait for the socket, then frees the write lock.</summary>
    private async Task FinishFlushAsync(ValueTask<FlushResult> flush)
    {
        try
        {
            await flush;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            Close($"connection lost while sending: {e.Message}");
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Adds one message to the pending Data frame body as a varint length and the message.</summary>
    private void Append(PeerMessage message, int size)
    {
        var needed = _batchLength + 5 + size;
        if (_bodyBuffer.Length < needed)
        {
            Array.Resize(ref _bodyBuffer, Math.Max(needed, _bodyBuffer.Length * 2));
        }

        var span = _bodyBuffer.AsSpan(_batchLength);
        var prefix = WriteVarint(span, (uint)size);
        message.WriteTo(span.Slice(prefix, size));
        _batchLength += prefix + size;
    }

    private void WriteStamp(Outgoing item)
    {
        Span<byte> stamp = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(stamp, item.Timestamp);
        _writer.Write(_output, item.Type, stamp);
    }

    private void WriteBatch()
    {
        if (_batchLength > 0)
        {
            _writer.Write(_output, FrameType.Data, _bodyBuffer.AsSpan(0, _batchLength));
            _batchLength = 0;
        }
    }

    private static int WriteVarint(Span<byte> span, uint value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        return i;
    }

    /// <summary>Reads a varint length of at most 5 bytes; -1 when malformed or past the end.</summary>
    private static int ReadVarint(ReadOnlySpan<byte> span, out int consumed)
    {
        uint value = 0;
        for (var i = 0; i < 5 && i < span.Length; i++)
        {
            value |= (uint)(span[i] & 0x7F) << (7 * i);
            if ((span[i] & 0x80) == 0)
            {
                consumed = i + 1;
                return value > int.MaxValue ? -1 : (int)value;
            }
        }

        consumed = 0;
        return -1;
    }
}
