using System.CommandLine;
using ClusterD.Admin.V1;
using ClusterD.ResourceManager.Configuration;

namespace ClusterD.Cli.Commands;

/// <summary>
/// <c>clusterctl fence NODE [--yes] [--wait 5min]</c>: fences NODE now, from the local daemon through the
/// configured devices (as <c>stonith_admin --fence</c>), after a confirmation unless <c>--yes</c>; then waits
/// for the result in the daemon's fencing history. Exits 0 once NODE is confirmed fenced, 1 when the fence
/// failed, was not confirmed or still pending after the wait. <c>fence test NODE</c> checks without fencing.
/// </summary>
internal sealed class FenceCommand : ClusterCtlCommand
{
    /// <summary>How often the history is read while waiting.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private readonly Argument<string> _node = new("NODE") { Description = "The node to fence, as the configuration names it" };

    private readonly Option<bool> _yes = new("--yes", "-y") { Description = "Do not ask for confirmation" };

    private readonly Option<string> _wait = new("--wait")
    {
        Description = "How long to wait for the result (default 5min; 0: do not wait)",
        HelpName = "DURATION",
    };

    public FenceCommand(CliContext context, GlobalOptions globals)
        : base("fence", "Power NODE off now through its fence devices (after confirmation); 'fence test NODE' only checks", context, globals)
    {
        Add(_node);
        Add(_yes);
        Add(_wait);
        Add(new FenceTestCommand(context, globals));
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var node = parseResult.GetValue(_node) ?? "";
        var wait = TimeSpan.FromMinutes(5);
        if (parseResult.GetValue(_wait) is { } waitText)
        {
            if (!Duration.TryParse(waitText, out var parsed) || parsed < Duration.Zero)
            {
                Context.Output.WriteError($"clusterctl: fence: --wait '{waitText}' is not a duration (e.g. 0, 90s, 5min)");
                return ExitCodes.Usage;
            }

            wait = parsed.ToTimeSpan();
        }

        if (!parseResult.GetValue(_yes))
        {
            Context.Output.Error.Write($"Fence {node} now? Its power goes off through the configured fence device. [y/N] ");
            Context.Output.Error.Flush();
            if (Context.ReadLine()?.Trim().ToLowerInvariant() is not ("y" or "yes"))
            {
                Context.Output.WriteError($"clusterctl: fence: {node} not fenced");
                return ExitCodes.Error;
            }
        }

        using var connection = Connect(parseResult);
        var sent = Context.Time.GetUtcNow();
        var reply = await connection.Client.FenceAsync(new FenceNodeRequest { Node = node }, deadline: Deadline(), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        Context.Output.WriteLine(reply.Message);
        if (wait == TimeSpan.Zero)
        {
            return ExitCodes.Ok;
        }

        // The daemon records the operation in its fencing history; its clock may differ a little from ours.
        var reason = $"clusterctl fence {node}";
        var since = sent - TimeSpan.FromMinutes(1);
        while (true)
        {
            var status = await connection.Client.GetStatusAsync(new GetStatusRequest(), deadline: Deadline(), cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            var record = status.Fencing.LastOrDefault(r => r.Target == node && r.Reason == reason && r.Requested?.ToDateTimeOffset() >= since);
            switch (record?.Result)
            {
                case "succeeded":
                    Context.Output.WriteLine($"{node} fenced ({record.Action}) by {record.Device}");
                    return ExitCodes.Ok;
                case "failed":
                    Context.Output.WriteError($"clusterctl: fence: fencing {node} failed: {record.Detail}");
                    return ExitCodes.Error;
            }

            if (Context.Time.GetUtcNow() - sent >= wait)
            {
                Context.Output.WriteError($"clusterctl: fence: fencing {node} not confirmed within {(long)wait.TotalSeconds} s; see 'clusterctl status'");
                return ExitCodes.Error;
            }

            await Task.Delay(PollInterval, Context.Time, cancellationToken).ConfigureAwait(false);
        }
    }
}
