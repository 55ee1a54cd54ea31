using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Scheduling;

/// <summary>What <c>multiple-active</c> asks for when a primitive outside a clone is active on more than one node.</summary>
internal enum MultipleActivePolicy
{
    /// <summary>Active on at most one node: nothing special.</summary>
    None,

    /// <summary>The default: stopped everywhere, then started once where it belongs.</summary>
    StopStart,

    /// <summary>Stopped everywhere and left stopped.</summary>
    StopOnly,

    /// <summary>Left alone exactly as it is (blocked).</summary>
    Block,

    /// <summary>Stopped where it does not belong; the instance where it belongs keeps running.</summary>
    StopUnexpected,
}

// A primitive found active on two or more nodes (a clone's primitive is meant to be). As checked
// with crm_simulate: stop_start stops every instance and starts one; stop_only stops them all;
// block leaves the resource alone; stop_unexpected stops only the instances off its node.
internal sealed partial class ClusterView
{
    private readonly Dictionary<string, MultipleActivePolicy> _multipleActive = new(StringComparer.Ordinal);

    public MultipleActivePolicy MultipleActiveOf(string primitive) => _multipleActive.GetValueOrDefault(primitive);

    private void ReadMultipleActive()
    {
        foreach (var p in Config.Primitives)
        {
            Cancellation.ThrowIfCancellationRequested();
            if (ActiveOf(p.Id).Count + LostOf(p.Id).Count < 2 || Index.CloneOf(p.Id) is not null)
            {
                continue;
            }

            // A fence device's copy on a node that is about to be fenced does not count (checked with
            // crm_simulate: the copy elsewhere keeps running); any other resource's copy there does.
            var lost = LostOf(p.Id).Keys.Where(n => !(p.Agent.IsStonith && FindNode(n)!.Fence));
            var nodes = ActiveOf(p.Id).Keys.Concat(lost).Order(StringComparer.Ordinal).ToList();
            if (nodes.Count < 2)
            {
                continue;
            }

            var value = MetaOf(p.Id).Get(MetaNames.MultipleActive);
            var policy = value switch
            {
                "stop_only" => MultipleActivePolicy.StopOnly,
                "block" => MultipleActivePolicy.Block,
                "stop_unexpected" => MultipleActivePolicy.StopUnexpected,
                _ => MultipleActivePolicy.StopStart,
            };
            _multipleActive[p.Id] = policy;
            Warnings.Add($"{p.Id} is active on {string.Join(", ", nodes)}: multiple-active={value ?? "stop_start"} "
                + policy switch
                {
                    MultipleActivePolicy.StopOnly => "stops it everywhere",
                    MultipleActivePolicy.Block => "leaves it alone (blocked)",
                    MultipleActivePolicy.StopUnexpected => "stops it where it does not belong",
                    _ => "stops it everywhere and starts it once",
                });
        }
    }
}
