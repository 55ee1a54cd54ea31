using System.Security.Cryptography;
using System.Text;
using ClusterD.Controller.Messages;
using ClusterD.ResourceManager.Configuration;

namespace ClusterD.Controller.Core;

/// <summary>The configuration held by the cluster: adopted from peers by version, changed by commands, replicated.</summary>
public sealed partial class ControllerCore
{
    private void OnConfigOffer(string from, ClusterConfig remote)
    {
        switch (Compare(Config, remote))
        {
            case > 0:
                // Ours is newer: the sender takes it when it hears it.
                Send(from, new ConfigOffer(Config));
                break;
            case < 0:
                if (Config.Version == remote.Version)
                {
                    Publish(ControllerEventKind.Warning,
                        $"{from} and {LocalNode} changed the configuration independently to {remote.Version}: keeping {from}'s, dropping this node's (it sorts lower)");
                }
                else if (Config.Version != default && Config.Version.AdminEpoch == remote.Version.AdminEpoch && remote.Version.Epoch > Config.Version.Epoch + 1)
                {
                    Publish(ControllerEventKind.Warning, $"taking {from}'s configuration {remote.Version} over this node's {Config.Version}");
                }

                Adopt(remote, $"configuration {remote.Version} from {from}");
                break;
        }
    }

    /// <summary>
    /// Orders configurations as they converge: by version (admin_epoch, then epoch); two different
    /// configurations of the same version (changed on both sides of a partition) by the SHA-256 of their
    /// canonical text, so both sides pick the same one.
    /// </summary>
    internal static int Compare(ClusterConfig local, ClusterConfig remote)
    {
        var byVersion = local.Version.CompareTo(remote.Version);
        if (byVersion != 0 || local == remote)
        {
            return byVersion;
        }

        return string.CompareOrdinal(Digest(local), Digest(remote));
    }

    private static string Digest(ClusterConfig config) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(CrmWriter.Write(config))));

    private void Adopt(ClusterConfig config, string why)
    {
        Config = config;
        _effects.Add(new PersistConfig(config));
        Publish(ControllerEventKind.ConfigurationChanged, $"configuration is now {config.Version} ({why})");
        _dc?.Changed("configuration " + why);
    }

    /// <summary>
    /// A change made on this node: validated whole (written and parsed again), versioned one epoch past
    /// the live one, adopted and sent to every member. Null when it is valid; else the errors.
    /// </summary>
    private string? Change(ClusterConfig changed, string why)
    {
        var version = changed.Version.AdminEpoch > Config.Version.AdminEpoch
            ? changed.Version with { Epoch = Math.Max(changed.Version.Epoch, 1) }
            : Config.Version.Next();
        var candidate = changed with { Version = version };
        var parsed = CrmParser.Parse(CrmWriter.Write(candidate), "the changed configuration");
        if (!parsed.Succeeded)
        {
            return string.Join("; ", parsed.Errors);
        }

        Adopt(parsed.Config, why);
        foreach (var member in View?.Members ?? [])
        {
            if (member != LocalNode)
            {
                Send(member, new ConfigOffer(Config));
            }
        }

        return null;
    }
}
