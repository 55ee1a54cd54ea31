using System.Net;
using System.Net.NetworkInformation;

namespace ClusterD.Membership.Configuration;

/// <summary>
/// Decides which nodelist entry this daemon is, in the order corosync users expect:
/// the <c>--node</c> argument (a name or a node id), else the host name, else the one node whose
/// link address is local. Several local matches (every 127.x address is local) is an error that
/// asks for <c>--node</c>.
/// </summary>
public static class LocalNodeResolver
{
    public static NodeConfig Resolve(NodeList nodes, string? requested, string hostName, Func<IPAddress, bool> isLocal)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        if (!string.IsNullOrEmpty(requested))
        {
            return nodes.FindByName(requested)
                ?? (uint.TryParse(requested, out var id) ? nodes.Nodes.FirstOrDefault(n => n.Id.Value == id) : null)
                ?? throw new ArgumentException(
                    $"--node {requested}: no such node in the nodelist (nodes: {string.Join(", ", nodes.Nodes.Select(n => n.Name))})");
        }

        var shortHost = hostName.Split('.')[0];
        if ((nodes.FindByName(hostName) ?? nodes.FindByName(shortHost)) is { } byName)
        {
            return byName;
        }

        var local = nodes.Nodes.Where(n => n.Links.Any(l => l is not null && isLocal(l.Address))).ToArray();
        return local.Length switch
        {
            1 => local[0],
            0 => throw new ArgumentException(
                $"this host ('{hostName}') is not in the nodelist by name and none of the nodelist addresses is local: use --node NAME"),
            _ => throw new ArgumentException(
                $"several nodes have local addresses ({string.Join(", ", local.Select(n => n.Name))}): use --node NAME"),
        };
    }

    /// <summary>True for any loopback address and for every address assigned to an interface of this host.</summary>
    public static bool IsLocalAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (IPAddress.IsLoopback(address))
        {
            return true;
        }

        return NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Any(a => a.Address.Equals(address));
    }
}
