namespace ClusterD.Fencing.Witness;

/// <summary>The timings of the cloud witness arbitration (<see cref="WitnessArbitration"/>).</summary>
public sealed record WitnessOptions
{
    /// <summary>
    /// Azure's shortest fixed lease (15 to 60 s, or infinite). The shortest keeps a lease of a node that died
    /// while it held it from blocking the survivor longer than needed.
    /// </summary>
    public static readonly TimeSpan MinLeaseDuration = TimeSpan.FromSeconds(15);

    /// <summary>Azure's longest fixed lease.</summary>
    public static readonly TimeSpan MaxLeaseDuration = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How much later the node without the promoted instance asks for the lease than the node with it. It must
    /// cover the skew between the two nodes' detection of the split plus one lease request (tens of
    /// milliseconds within an Azure region), so in a partition the active node gets the lease; after a real
    /// crash of the active node it is all the survivor waits.
    /// </summary>
    public TimeSpan HeadStart { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The lease asked for (<c>x-ms-lease-duration</c>).</summary>
    public TimeSpan LeaseDuration { get; init; } = MinLeaseDuration;

    /// <summary>How often the holder renews the lease while its fence runs: a third of the lease, so two renewals may fail.</summary>
    public TimeSpan RenewInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>After a renewal that did not reach the witness, when to try again.</summary>
    public TimeSpan RenewRetry { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long one lease request may take, its retries included, before the witness counts as unreachable and
    /// the priority fencing delay decides instead.
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(3);
}
