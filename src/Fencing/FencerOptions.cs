using ClusterD.Fencing.Witness;

namespace ClusterD.Fencing;

/// <summary>Settings of the <see cref="Fencer"/>.</summary>
public sealed record FencerOptions
{
    /// <summary>
    /// Passes over the devices before the operation fails (Pacemaker's fencer retries a device twice by
    /// default, <c>pcmk_off_retries</c>). Every pass stays within the operation's timeout.
    /// </summary>
    public int MaxRounds { get; init; } = 3;

    /// <summary>The wait after the first failed pass; doubled after each further one, up to <see cref="MaxRetryBackoff"/>.</summary>
    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between passes.</summary>
    public TimeSpan MaxRetryBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an agent's <c>list</c> answer is trusted (Pacemaker refreshes dynamic lists after 60 s).</summary>
    public TimeSpan DynamicListLifetime { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How many operations the history keeps (the most recent).</summary>
    public int HistoryLimit { get; init; } = 100;

    /// <summary>Draws the <c>pcmk_delay_max</c> random delays; seed it for a repeatable run. Null: a shared random.</summary>
    public Random? Random { get; init; }

    /// <summary>
    /// The cloud witness that decides fence races instead of the priority fencing delay (<see cref="WitnessArbitration"/>);
    /// null: none, the delay decides.
    /// </summary>
    public IWitnessLease? Witness { get; init; }

    /// <summary>The witness's timings (head start, lease, renewals, request bound).</summary>
    public WitnessOptions WitnessTimings { get; init; } = new();
}
