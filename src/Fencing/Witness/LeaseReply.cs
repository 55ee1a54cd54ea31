namespace ClusterD.Fencing.Witness;

/// <summary>What the witness answered to one lease request.</summary>
/// <param name="Result">The answer's meaning for the arbitration.</param>
/// <param name="Detail">The answer in words for events and logs: status, error code, request id.</param>
public sealed record LeaseReply(LeaseResult Result, string Detail)
{
    public static LeaseReply Granted(string detail) => new(LeaseResult.Granted, detail);

    public static LeaseReply HeldByOther(string detail) => new(LeaseResult.HeldByOther, detail);

    public static LeaseReply NotHeld(string detail) => new(LeaseResult.NotHeld, detail);

    public static LeaseReply Unreachable(string detail) => new(LeaseResult.Unreachable, detail);
}

/// <summary>The meaning of a lease answer.</summary>
public enum LeaseResult
{
    /// <summary>Acquired, renewed or released as asked (2xx).</summary>
    Granted,

    /// <summary>Another lease id holds the lease (409 <c>LeaseAlreadyPresent</c>).</summary>
    HeldByOther,

    /// <summary>Our lease id no longer holds it (409/412 <c>LeaseIdMismatchWithLeaseOperation</c>, <c>LeaseNotPresentWithLeaseOperation</c>, <c>LeaseLost</c>).</summary>
    NotHeld,

    /// <summary>No usable answer in time: a timeout, a refused connection, 5xx, or an answer that says nothing about the lease (401, 403, 404).</summary>
    Unreachable,
}
