namespace ClusterD.Fencing.History;

/// <summary>
/// One fencing operation as the history shows it (like <c>stonith_admin --history</c>): replaced whole as
/// the operation advances, and kept after it ends.
/// </summary>
/// <param name="Id">Increases with each operation of this fencer; identifies the operation across its updates.</param>
/// <param name="Target">The node to fence.</param>
/// <param name="Requester">Who asked.</param>
/// <param name="Action">The fencing action (<c>stonith-action</c>): off or reboot.</param>
/// <param name="Result">Pending, Succeeded or Failed.</param>
/// <param name="Reason">Why the node is fenced.</param>
/// <param name="Requested">When the request arrived.</param>
public sealed record FenceHistoryEntry(
    long Id,
    string Target,
    string Requester,
    FenceAction Action,
    FenceHistoryResult Result,
    string Reason,
    DateTimeOffset Requested)
{
    /// <summary>The device that fenced the target, or the last one tried; null before any ran.</summary>
    public string? Device { get; init; }

    /// <summary>Why it failed (or, while pending, what the last attempt answered); null on success.</summary>
    public string? Detail { get; init; }

    /// <summary>While pending: the end of the delay or retry backoff the fencer is waiting for.</summary>
    public DateTimeOffset? WaitingUntil { get; init; }

    /// <summary>When it ended; null while pending.</summary>
    public DateTimeOffset? Completed { get; init; }

    /// <summary>From request to end; null while pending.</summary>
    public TimeSpan? Duration => Completed - Requested;
}
