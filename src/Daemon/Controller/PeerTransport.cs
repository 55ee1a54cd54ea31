using System.Threading.Channels;
using ClusterD.Controller.Messages;
using ClusterD.Controller.Runtime;
using ClusterD.Membership.Configuration;
using ClusterD.Messaging.Peers;

namespace ClusterD.Daemon.Controller;

/// <summary>
/// The controller's messages over the node-to-node sessions: one queue and one sender loop per peer, so
/// messages to a node leave in the order the controller produced them (the session keeps that order).
/// A message to a node without a session is dropped: the DC learns of the node's loss from membership.
/// </summary>
internal sealed class PeerTransport : IControllerTransport, IAsyncDisposable
{
    /// <summary>How long a message waits for its peer's session before it is dropped.</summary>
    private static readonly TimeSpan SessionWait = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromMilliseconds(50);

    private readonly PeerNetwork _network;
    private readonly TimeProvider _time;
    private readonly NodeList _nodes;
    private readonly ILogger _logger;
    private readonly Dictionary<string, Channel<byte[]>> _queues = new(StringComparer.Ordinal);
    private readonly List<Task> _loops = [];
    private readonly CancellationTokenSource _stopping = new();

    public PeerTransport(PeerNetwork network, NodeList nodes, string localNode, TimeProvider time, ILogger logger)
    {
        _network = network;
        _time = time;
        _nodes = nodes;
        _logger = logger;
        foreach (var node in nodes.Nodes.Where(n => n.Name != localNode))
        {
            var queue = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
            _queues[node.Name] = queue;
            _loops.Add(SendLoopAsync(node.Id.Value, node.Name, queue.Reader, _stopping.Token));
        }
    }

    public void Send(string node, byte[] payload)
    {
        if (_queues.TryGetValue(node, out var queue))
        {
            queue.Writer.TryWrite(payload);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        foreach (var queue in _queues.Values)
        {
            queue.Writer.TryComplete();
        }

        await Task.WhenAll(_loops).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task SendLoopAsync(uint peer, string name, ChannelReader<byte[]> reader, CancellationToken stopping)
    {
        await foreach (var payload in reader.ReadAllAsync(stopping))
        {
            // A member's session may come up a moment after membership installed the view that names it
            // (or be re-dialling after a reset): wait for it a little before the message is given up.
            var giveUp = _time.GetTimestamp();
            while (true)
            {
                try
                {
                    await _network.SendAsync(peer, ControllerCodec.Topic, payload, stopping);
                    break;
                }
                catch (PeerUnavailableException e)
                {
                    if (_time.GetElapsedTime(giveUp) > SessionWait)
                    {
                        DaemonLog.ControllerMessageDropped(_logger, name, e.Message);
                        break;
                    }

                    await Task.Delay(RetryPeriod, _time, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    return;
                }
            }

            if (stopping.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
