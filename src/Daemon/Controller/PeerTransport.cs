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
    private readonly PeerNetwork _network;
    private readonly NodeList _nodes;
    private readonly ILogger _logger;
    private readonly Dictionary<string, Channel<byte[]>> _queues = new(StringComparer.Ordinal);
    private readonly List<Task> _loops = [];
    private readonly CancellationTokenSource _stopping = new();

    public PeerTransport(PeerNetwork network, NodeList nodes, string localNode, ILogger logger)
    {
        _network = network;
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
        _stopping.Dispose();
    }

    private async Task SendLoopAsync(uint peer, string name, ChannelReader<byte[]> reader, CancellationToken stopping)
    {
        await foreach (var payload in reader.ReadAllAsync(stopping))
        {
            try
            {
                await _network.SendAsync(peer, ControllerCodec.Topic, payload, stopping);
            }
            catch (PeerUnavailableException e)
            {
                DaemonLog.ControllerMessageDropped(_logger, name, e.Message);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
