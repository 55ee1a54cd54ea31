using System.CommandLine;
using ClusterD.Admin.V1;
using ClusterD.Cli.Rendering;
using Grpc.Core;

namespace ClusterD.Cli.Commands;

/// <summary>
/// <c>clusterctl events --follow [--json]</c>: a timeline, one line per cluster event (membership, quorum,
/// DC, actions with their results and durations, transitions, fencing, failovers with their phases,
/// configuration changes, warnings, and "gap" when this watcher fell behind), until Ctrl-C or the
/// daemon ends the stream.
/// The daemon keeps no history yet, so <c>--follow</c> is required for now.
/// </summary>
internal sealed class EventsCommand : ClusterCtlCommand
{
    private readonly Option<bool> _follow = new("--follow", "-f") { Description = "Stream events as they happen, until Ctrl-C" };
    private readonly Option<bool> _json = new("--json") { Description = "Print one JSON object per event and line" };

    public EventsCommand(CliContext context, GlobalOptions globals)
        : base("events", "Show cluster events: membership, quorum, DC, actions, transitions, fencing, failovers", context, globals)
    {
        Add(_follow);
        Add(_json);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        if (!parseResult.GetValue(_follow))
        {
            Context.Output.WriteError(
                "clusterctl: events: the daemon keeps no event history yet; "
                + "use 'clusterctl events --follow' to stream events as they happen.");
            return ExitCodes.Error;
        }

        var json = parseResult.GetValue(_json);
        using var connection = Connect(parseResult);
        using var call = connection.Client.WatchEvents(new WatchEventsRequest(), cancellationToken: cancellationToken);
        await foreach (var e in call.ResponseStream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            var view = EventView.FromEvent(e);
            Context.Output.WriteLine(json ? JsonOutput.SerializeLine(view) : view.ToTextLine());
            await Context.Output.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }
}
