using System.Net;
using System.Net.Sockets;

namespace ClusterD.Messaging.Tests.Peers;

/// <summary>
/// A TCP forwarder on loopback that records every byte of every connection it carries, in both directions:
/// an on-path observer, whose recordings the tests replay and splice at a node.
/// </summary>
internal sealed class RecordingProxy : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Recording> _recordings = [];
    private readonly List<Task> _pumps = [];
    private readonly Task _accepting;

    public RecordingProxy(IPEndPoint listenOn, IPEndPoint target)
    {
        _target = target;
        _listener = new Socket(listenOn.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(listenOn);
        _listener.Listen(16);
        _accepting = AcceptAsync();
    }

    /// <summary>One recorded connection per accepted connection, in order.</summary>
    public IReadOnlyList<Recording> Recordings
    {
        get
        {
            lock (_recordings)
            {
                return [.. _recordings];
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        lock (_recordings)
        {
            foreach (var recording in _recordings)
            {
                recording.Close();
            }
        }

        await Task.WhenAll([.. _pumps, _accepting]).ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var server = new Socket(_target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            server.Bind(new IPEndPoint(((IPEndPoint)_listener.LocalEndPoint!).Address, 0));
            try
            {
                await server.ConnectAsync(_target, _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
                client.Dispose();
                server.Dispose();
                continue;
            }

            var recording = new Recording(client, server);
            lock (_recordings)
            {
                _recordings.Add(recording);
                _pumps.Add(Pump(client, server, recording.ToTarget, recording));
                _pumps.Add(Pump(server, client, recording.FromTarget, recording));
            }
        }
    }

    private async Task Pump(Socket from, Socket to, MemoryStream record, Recording recording)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token) is var n && n > 0)
            {
                lock (record)
                {
                    record.Write(buffer, 0, n);
                }

                await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Either side went away.
        }

        recording.Close();
    }

    /// <summary>The bytes of one proxied connection.</summary>
    internal sealed class Recording(Socket client, Socket server)
    {
        /// <summary>From the connecting side (the dialler) to the target.</summary>
        public MemoryStream ToTarget { get; } = new();

        /// <summary>From the target back to the dialler.</summary>
        public MemoryStream FromTarget { get; } = new();

        public byte[] Sent()
        {
            lock (ToTarget)
            {
                return ToTarget.ToArray();
            }
        }

        public void Close()
        {
            client.Dispose();
            server.Dispose();
        }
    }
}
