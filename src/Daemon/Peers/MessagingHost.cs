using System.Net;
using ClusterD.Controller.Peers;
using ClusterD.Membership.Configuration;
using ClusterD.Membership.Runtime;
using ClusterD.Membership.Views;
using ClusterD.Messaging.Peers;
using ClusterD.Messaging.Security;

namespace ClusterD.Daemon.Peers;

/// <summary>
/// Hosts the node-to-node <see cref="PeerNetwork"/>: listens on this node's link addresses at
/// <c>clusterd.messaging_port</c>, dials peers with higher node ids, and performs the controller's
/// session rules on view changes (<see cref="SessionRules"/>: a lost or departed peer's session closes at once).
/// </summary>
internal sealed class MessagingHost : IHostedService, IViewChangeSink, IAsyncDisposable
{
    public const int MaxBody = 1 << 20;

    private readonly ClusterConfiguration _config;

    public MessagingHost(ClusterConfiguration config, LocalIdentity identity, ClusterKeys keys, TimeProvider time, ILoggerFactory loggers)
    {
        _config = config;
        var port = config.ClusterD.MessagingPort;
        var options = new HandshakeOptions(
            config.Totem.ClusterName,
            identity.Node.Id.Value,
            identity.Incarnation,
            () => keys.Current,
            MessagingCiphers.TryParse(config.Totem.CryptoCipher, out var cipher) ? cipher : MessagingCiphers.Default,
            IsKnownNode: id => config.Nodes.Contains(new Membership.NodeId(id)),
            MaxBody,
            HandshakeTimeout: TimeSpan.FromSeconds(5));
        var peers = config.Nodes.Nodes.Where(n => n.Id != identity.Node.Id)
            .Select(n => new PeerEndpoint(n.Id.Value, n.Name, n.Links.OfType<IPEndPoint>().Select(l => new IPEndPoint(l.Address, port)).ToArray()));
        var listen = identity.Node.Links.OfType<IPEndPoint>().Select(l => new IPEndPoint(l.Address, port)).ToArray();
        Network = new PeerNetwork(options, peers, listen, time, loggers.CreateLogger("ClusterD.Messaging"));
        Bench = new MessagingBench(Network, config);
    }

    public PeerNetwork Network { get; }

    public MessagingBench Bench { get; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Bench.RegisterHandlers();
        Network.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await Network.DisposeAsync();

    /// <summary>Performs what <see cref="SessionRules"/> decides for a view change.</summary>
    public void Publish(ViewChange change, DateTimeOffset installedAt)
    {
        foreach (var close in SessionRules.OnViewChange(change, _config.Nodes))
        {
            Network.Disconnect(close.Node.Value, close.Reason);
        }
    }

    public ValueTask DisposeAsync() => Network.DisposeAsync();
}
