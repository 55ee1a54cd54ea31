using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Threading.Channels;
using ClusterD.Controller.Core;
using ClusterD.Controller.Messages;
using ClusterD.ResourceManager.Execution;
using Microsoft.Extensions.Logging;

namespace ClusterD.Controller.Runtime;

/// <summary>
/// The controller's shell: one loop that feeds the <see cref="ControllerCore"/> its inputs one at a time
/// (views, messages, agent and fence results, commands, and a tick at <see cref="ControllerCore.NextWake"/>)
/// and performs the effects it returns: messages through the transport, agent calls and fences as
/// background tasks whose results come back as inputs, persistence, events, replies.
/// </summary>
public sealed partial class ControllerService : IAsyncDisposable
{
    private const int MaxFenceRecords = 100;
    private const int MaxFailedActions = 50;

    private readonly ControllerCore _core;
    private readonly IControllerTransport _transport;
    private readonly IControllerAgents _agents;
    private readonly IControllerFencer _fencer;
    private readonly IControllerStorage _storage;
    private readonly IControllerWatchdog? _watchdog;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<ControllerInput> _inputs = Channel.CreateUnbounded<ControllerInput>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<long, TaskCompletionSource<AdminOutcome>> _replies = new();
    private readonly TaskCompletionSource<string> _leave = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private ImmutableArray<FenceRecord> _fencing = [];
    private ImmutableArray<ControllerEvent> _failed = [];
    private long _nextRequest;
    private Task? _loop;

    public ControllerService(ControllerCore core, IControllerTransport transport, IControllerAgents agents, IControllerFencer fencer,
        IControllerStorage storage, TimeProvider time, ILogger logger, IControllerWatchdog? watchdog = null)
    {
        _watchdog = watchdog;
        _core = core;
        _transport = transport;
        _agents = agents;
        _fencer = fencer;
        _storage = storage;
        _time = time;
        _logger = logger;
        Snapshot = new ControllerSnapshot(core.Status(), core.Config, false, [], [], []);
    }

    public string LocalNode => _core.LocalNode;

    /// <summary>Where Scheduled Event acknowledgements go (null: nowhere, Scheduled Events are off).</summary>
    public IScheduledEventsAcknowledger? Acknowledger { get; set; }

    /// <summary>Where announced freezes of peers go (membership).</summary>
    public IDetectionCoverSink? CoverSink { get; init; }

    /// <summary>What status says of Scheduled Events polling (null: not configured).</summary>
    public Func<string>? ScheduledEventsState { get; set; }

    /// <summary>The latest snapshot (read from any thread).</summary>
    public ControllerSnapshot Snapshot { get; private set; }

    /// <summary>Every event, on the controller's loop: handlers must not block (the event hub queues per watcher).</summary>
    public event Action<ControllerEvent>? Published;

    public void Start() => _loop ??= Task.Run(() => LoopAsync(_stopping.Token));

    public void Post(ControllerInput input) => _inputs.Writer.TryWrite(input);

    /// <summary>Decodes and posts a controller message from an authenticated peer; a bad one is dropped with a log line.</summary>
    public void Receive(string from, ReadOnlySpan<byte> payload)
    {
        try
        {
            Post(new MessageInput(from, ControllerCodec.Decode(payload, from)));
        }
        catch (ControllerCodecException e)
        {
            ControllerLog.BadMessage(_logger, from, e.Message);
        }
    }

    public async Task<AdminOutcome> ExecuteAsync(AdminCommand command, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextRequest);
        var reply = new TaskCompletionSource<AdminOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        _replies[id] = reply;
        try
        {
            Post(new AdminInput(id, command));
            return await reply.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _replies.TryRemove(id, out _);
        }
    }

    /// <summary>Asks the cluster to move everything off this node; returns why it may leave, or null when <paramref name="timeout"/> passed first.</summary>
    public async Task<string?> PrepareToLeaveAsync(TimeSpan timeout)
    {
        Post(ShutdownInput.Instance);
        try
        {
            return await _leave.Task.WaitAsync(timeout, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _inputs.Writer.TryComplete();
        if (_loop is { } loop)
        {
            await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        // _stopping is not disposed: agent calls and fences still running may read its token when they end.
    }

    private async Task LoopAsync(CancellationToken stopping)
    {
        var reader = _inputs.Reader;
        while (!stopping.IsCancellationRequested)
        {
            ControllerInput input;
            try
            {
                input = await NextInputAsync(reader, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (ChannelClosedException)
            {
                return;
            }

            try
            {
                Perform(_core.Handle(input, _time.GetUtcNow()));
                Snapshot = new ControllerSnapshot(_core.Status(), _core.Config, _core.IsDc, _core.Warnings, _fencing, _failed)
                {
                    Watchdog = _core.Watchdog,
                    WatchdogDetail = _watchdog?.Detail,
                    ScheduledEvents = _core.ScheduledEvents,
                    ScheduledEventsState = ScheduledEventsState?.Invoke(),
                };
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Nothing an input does may end the loop: the controller goes on with the next one.
                ControllerLog.InputFailed(_logger, input.GetType().Name, e);
            }
        }
    }

    /// <summary>The next input, or a tick when the core's next wake comes first.</summary>
    private async ValueTask<ControllerInput> NextInputAsync(ChannelReader<ControllerInput> reader, CancellationToken stopping)
    {
        if (reader.TryRead(out var ready))
        {
            return ready;
        }

        var wake = _core.NextWake;
        if (wake is null)
        {
            return await reader.ReadAsync(stopping).ConfigureAwait(false);
        }

        var delay = wake.Value - _time.GetUtcNow();
        if (delay <= TimeSpan.Zero)
        {
            return TickInput.Instance;
        }

        using var timer = new CancellationTokenSource(delay < TimeSpan.FromDays(1) ? delay : TimeSpan.FromDays(1), _time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stopping, timer.Token);
        try
        {
            return await reader.ReadAsync(either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            return TickInput.Instance;
        }
    }
}
