using System.Buffers.Binary;
using System.Diagnostics;
using ClusterD.Messaging.Framing;
using ClusterD.Messaging.Wire;
using Google.Protobuf;

namespace ClusterD.Messaging.Peers;

public sealed partial class PeerConnection
{
    private async Task ReadLoopAsync()
    {
        var token = _closing.Token;
        try
        {
            while (true)
            {
                var result = await _input.ReadAsync(token);
                var buffer = result.Buffer;
                FrameError error;
                while (_reader.TryRead(ref buffer, out var frame, out error))
                {
                    if (!Dispatch(frame, out var problem))
                    {
                        Close(problem);
                        return;
                    }
                }

                if (error != FrameError.None)
                {
                    _owner!.OnRejected(this, error);
                    Close($"refused frame: {error}");
                    return;
                }

                _input.AdvanceTo(buffer.Start, buffer.End);
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
    }

    private bool Dispatch(Frame frame, out string problem)
    {
        problem = "";
        switch (frame.Type)
        {
            case FrameType.Data:
                PeerMessage message;
                try
                {
                    message = PeerMessage.Parser.ParseFrom(frame.Body.Span);
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
                return true;
            case FrameType.Ping:
                if (frame.Body.Length == 8)
                {
                    _queue.Writer.TryWrite(new Outgoing(FrameType.Pong, null, BinaryPrimitives.ReadInt64BigEndian(frame.Body.Span)));
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
                while (_queue.Reader.TryRead(out var item))
                {
                    Write(item);
                    if (_output.UnflushedBytes >= FlushThreshold)
                    {
                        await _output.FlushAsync(token);
                    }
                }

                await _output.FlushAsync(token);
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

    private void Write(Outgoing item)
    {
        if (item.Message is { } message)
        {
            var size = message.CalculateSize();
            if (_bodyBuffer.Length < size)
            {
                _bodyBuffer = new byte[Math.Max(size, _bodyBuffer.Length * 2)];
            }

            message.WriteTo(_bodyBuffer.AsSpan(0, size));
            _writer.Write(_output, FrameType.Data, _bodyBuffer.AsSpan(0, size));
            return;
        }

        Span<byte> stamp = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(stamp, item.Timestamp);
        _writer.Write(_output, item.Type, stamp);
    }
}
