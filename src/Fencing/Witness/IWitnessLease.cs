namespace ClusterD.Fencing.Witness;

/// <summary>
/// The lease a cloud witness grants: one lease id of this node's, asked for, renewed and released. Every call
/// is bounded by the caller's token and answers with a <see cref="LeaseReply"/>, never an exception for what
/// the witness said or did not say.
/// </summary>
public interface IWitnessLease
{
    /// <summary>Where the lease lives, for messages (<c>azure blob https://account.blob.core.windows.net/c/b</c>).</summary>
    string Description { get; }

    /// <summary>Asks for the lease for <paramref name="duration"/>; also granted when this node's lease id holds it already.</summary>
    Task<LeaseReply> AcquireAsync(TimeSpan duration, CancellationToken cancellationToken);

    Task<LeaseReply> RenewAsync(CancellationToken cancellationToken);

    Task<LeaseReply> ReleaseAsync(CancellationToken cancellationToken);
}
