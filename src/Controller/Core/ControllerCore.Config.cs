using ClusterD.Controller.Configuration;
using ClusterD.Controller.Messages;
using ClusterD.ResourceManager.Configuration;

namespace ClusterD.Controller.Core;

/// <summary>The configuration held by the cluster: adopted from peers by version, changed by commands, replicated.</summary>
public sealed partial class ControllerCore
{
    /// <summary>Another node's configuration: the newer one wins on both sides (<see cref="ConfigMerge"/>), with a warning naming what was dropped.</summary>
    private void OnConfigOffer(string from, ClusterConfig remote)
    {
        var decision = ConfigMerge.Decide(Config, remote, from);

        // Something is dropped only when this node changed its configuration while it could not give the
        // change to every node (a partition); a node that was merely behind just catches up.
        if (decision.Warning is { } warning && _changedApart && decision.Outcome == ConfigMergeOutcome.TakeRemote)
        {
            Publish(ControllerEventKind.Warning, warning);
        }

        switch (decision.Outcome)
        {
            case ConfigMergeOutcome.KeepLocal:
                // Ours is newer: the sender takes it when it hears it.
                Send(from, new ConfigOffer(Config));
                break;
            case ConfigMergeOutcome.TakeRemote:
                Adopt(decision.Config, $"configuration {remote.Version} from {from}");
                _changedApart = false;
                break;
        }
    }

    /// <summary>True after a local change made while some node was not a member, until a peer's configuration is taken.</summary>
    private bool _changedApart;

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
            : ConfigMerge.NextVersion(Config.Version);
        var candidate = changed with { Version = version };
        var parsed = CrmParser.Parse(CrmWriter.Write(candidate), "the changed configuration");
        if (!parsed.Succeeded)
        {
            return string.Join("; ", parsed.Errors);
        }

        Adopt(parsed.Config, why);
        _changedApart |= View is null || Nodes.Any(n => !View.Members.Contains(n));
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
