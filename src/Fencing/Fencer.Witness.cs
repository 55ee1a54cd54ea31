using ClusterD.Fencing.History;
using ClusterD.Fencing.Policy;
using ClusterD.Fencing.Witness;

namespace ClusterD.Fencing;

/// <summary>The fencer's side of the cloud witness: it asks for the lease, renews it while it fences, and gives it back.</summary>
public sealed partial class Fencer
{
    /// <summary>
    /// Every decision of a witness arbitration (lease got, yielded, fell back, renewal failed, lost, released), as it
    /// is taken, on the fencing operation's thread: handlers must not block.
    /// </summary>
    public event Action<WitnessDecision>? WitnessDecided;

    /// <summary>Waits the head start (when this side is disfavoured), asks for the lease, and decides.</summary>
    private async Task<(FenceHistoryEntry Entry, WitnessArbitration Arbitration)> ArbitrateAsync(
        FenceHistoryEntry entry, IWitnessLease witness, string target, FenceRace race, string device, CancellationToken ct)
    {
        var arbitration = new WitnessArbitration(target, race == FenceRace.Disfavoured, _options.WitnessTimings, _time.GetUtcNow());
        entry = await WaitAsync(entry, arbitration.AttemptAt - _time.GetUtcNow(), "witness head start", device, ct).ConfigureAwait(false);
        var sentAt = _time.GetUtcNow();
        var reply = await witness.AcquireAsync(_options.WitnessTimings.LeaseDuration, ct).ConfigureAwait(false);
        var (_, decision) = arbitration.Acquired(reply, sentAt, _time.GetUtcNow());
        Decided(decision);
        return (entry, arbitration);
    }

    /// <summary>While this node holds the lease: renews it until disposed, and cancels <paramref name="leaseLost"/> when it is lost.</summary>
    private LeaseHolding HoldLease(WitnessArbitration? arbitration, CancellationTokenSource leaseLost) =>
        arbitration is { Phase: WitnessPhase.Holding } && _options.Witness is { } witness
            ? new LeaseHolding(this, witness, arbitration, leaseLost)
            : LeaseHolding.None;

    private void Decided(WitnessDecision decision)
    {
        WitnessLog.Decision(_logger, decision.Message);
        WitnessDecided?.Invoke(decision);
    }

    /// <summary>The renewal loop of one held lease, and its release once the target is confirmed off.</summary>
    private sealed class LeaseHolding : IAsyncDisposable
    {
        public static readonly LeaseHolding None = new(null, null, null, null);

        private readonly Fencer? _fencer;
        private readonly IWitnessLease? _witness;
        private readonly WitnessArbitration? _arbitration;
        private readonly CancellationTokenSource? _stop;
        private readonly Task _renewing = Task.CompletedTask;

        public LeaseHolding(Fencer? fencer, IWitnessLease? witness, WitnessArbitration? arbitration, CancellationTokenSource? leaseLost)
        {
            _fencer = fencer;
            _witness = witness;
            _arbitration = arbitration;
            if (fencer is not null && leaseLost is not null)
            {
                _stop = new CancellationTokenSource();
                _renewing = RenewAsync(leaseLost, _stop.Token);
            }
        }

        /// <summary>The target is off: stop renewing and give the lease back.</summary>
        public async Task ConfirmedOffAsync()
        {
            await StopAsync().ConfigureAwait(false);
            if (_fencer is { } fencer && _arbitration!.ShouldRelease(fenced: true))
            {
                var reply = await _witness!.ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
                fencer.Decided(_arbitration.Released(reply, fencer._time.GetUtcNow()));
            }
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync().ConfigureAwait(false);
            _stop?.Dispose();
        }

        private async Task StopAsync()
        {
            if (_stop is { IsCancellationRequested: false } stop)
            {
                await stop.CancelAsync().ConfigureAwait(false);
            }

            await _renewing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        private async Task RenewAsync(CancellationTokenSource leaseLost, CancellationToken stop)
        {
            var fencer = _fencer!;
            var time = fencer._time;
            try
            {
                while (_arbitration!.RenewAt is { } at)
                {
                    var wait = at - time.GetUtcNow();
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, time, stop).ConfigureAwait(false);
                    }

                    var sentAt = time.GetUtcNow();
                    var reply = await _witness!.RenewAsync(stop).ConfigureAwait(false);
                    var (keep, decision) = _arbitration.Renewed(reply, sentAt, time.GetUtcNow());
                    if (decision is not null)
                    {
                        fencer.Decided(decision);
                    }

                    if (!keep)
                    {
                        await leaseLost.CancelAsync().ConfigureAwait(false);
                        return;
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // The fence ended.
            }
        }
    }
}
