using System.CommandLine;
using System.Threading.Channels;
using ClusterD.Admin.V1;
using ClusterD.Cli.Rendering;
using Grpc.Core;

namespace ClusterD.Cli.Commands;

/// <summary>
/// <c>clusterctl status [--json] [--watch]</c>: membership, quorum, DC, heartbeat links and
/// resources, like <c>crm_mon -1</c>. With <c>--watch</c> it redraws on every cluster event and
/// at least every <see cref="RefreshInterval"/>, until Ctrl-C.
/// </summary>
internal sealed class StatusCommand : ClusterCtlCommand
{
    /// <summary>Link ages and counters change without events, so the watch view polls too.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(2);

    /// <summary>A daemon that accepts the connection but never answers is as good as unreachable.</summary>
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    private readonly Option<bool> _json = new("--json") { Description = "Print the status as JSON (one document per refresh with --watch)" };
    private readonly Option<bool> _watch = new("--watch", "-w") { Description = "Redraw on every cluster event and every 2 s, until Ctrl-C" };

    public StatusCommand(CliContext context, GlobalOptions globals)
        : base("status", "Show membership, quorum, DC, heartbeat links and resources (like crm_mon -1)", context, globals)
    {
        Add(_json);
        Add(_watch);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var json = parseResult.GetValue(_json);
        using var connection = Connect(parseResult);
        if (!parseResult.GetValue(_watch))
        {
            var view = await FetchAsync(connection.Client, cancellationToken).ConfigureAwait(false);
            Context.Output.Out.Write(json ? JsonOutput.Serialize(view) + Environment.NewLine : StatusTextRenderer.Render(view));
            return ExitCodes.Ok;
        }

        await WatchAsync(connection.Client, json, cancellationToken).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private async Task WatchAsync(ClusterAdmin.ClusterAdminClient client, bool json, CancellationToken cancellationToken)
    {
        // Events only say "something changed": a full GetStatus follows each one. Wake-ups that
        // arrive while a redraw is pending fold into it (capacity 1, DropWrite).
        var wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = true,
        });
        using var stopPump = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task? pump = null;
        try
        {
            while (true)
            {
                // (Re)subscribe when the stream ended, e.g. after a daemon restart; polling covers the gap.
                if (pump is null || pump.IsCompleted)
                {
                    pump = PumpEventsAsync(client, wake.Writer, stopPump.Token);
                }

                var view = await FetchAsync(client, cancellationToken).ConfigureAwait(false);
                if (json)
                {
                    Context.Output.WriteLine(JsonOutput.SerializeLine(view));
                }
                else
                {
                    Context.Output.ClearScreen();
                    Context.Output.Out.Write(StatusTextRenderer.Render(view, Context.Time.GetUtcNow()));
                    Context.Output.WriteLine("");
                }

                await Context.Output.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
                await WaitForChangeAsync(wake.Reader, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await stopPump.CancelAsync().ConfigureAwait(false);
            if (pump is not null)
            {
                await pump.ConfigureAwait(false);
            }
        }
    }

    private async Task WaitForChangeAsync(ChannelReader<bool> wake, CancellationToken cancellationToken)
    {
        using var tick = new CancellationTokenSource(RefreshInterval, Context.Time);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, tick.Token);
        try
        {
            await wake.ReadAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The periodic refresh.
        }
    }

    /// <summary>Turns the event stream into wake-ups. Never throws: a broken stream only means polling.</summary>
    private static async Task PumpEventsAsync(
        ClusterAdmin.ClusterAdminClient client, ChannelWriter<bool> wake, CancellationToken cancellationToken)
    {
        try
        {
            using var call = client.WatchEvents(new WatchEventsRequest(), cancellationToken: cancellationToken);
            await foreach (var _ in call.ResponseStream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                wake.TryWrite(true);
            }
        }
        catch (Exception)
        {
            // Cancelled, or the daemon went away: the next GetStatus reports that, if it matters.
        }
    }

    private async Task<StatusView> FetchAsync(ClusterAdmin.ClusterAdminClient client, CancellationToken cancellationToken)
    {
        var deadline = Context.Time.GetUtcNow().UtcDateTime + CallTimeout;
        var reply = await client.GetStatusAsync(new GetStatusRequest(), deadline: deadline, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return StatusView.FromReply(reply);
    }
}
