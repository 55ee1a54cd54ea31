namespace ClusterD.Fencing;

/// <summary>One thing a fence device test verified without powering anything off (<c>clusterctl fence test</c>).</summary>
/// <param name="Name">What was checked (<c>token</c>, <c>vm</c>, <c>role</c>, <c>host map</c>).</param>
/// <param name="Result">Passed, failed, or could not be told.</param>
/// <param name="Detail">What was seen, or what to fix.</param>
public sealed record FenceCheck(string Name, FenceCheckResult Result, string Detail);

/// <summary>How one <see cref="FenceCheck"/> came out.</summary>
public enum FenceCheckResult
{
    /// <summary>Verified.</summary>
    Passed,

    /// <summary>Fencing through this device would fail for this reason.</summary>
    Failed,

    /// <summary>Could not be verified (e.g. the identity may not read its own role); fencing may still work.</summary>
    Unverified,
}
