namespace ClusterD.Fencing.Witness;

/// <summary>What the witness's answer to the lease request means for the fence.</summary>
public enum WitnessVerdict
{
    /// <summary>This node holds the lease: fence now, with no priority fencing delay.</summary>
    Fence,

    /// <summary>The other side holds the lease: never fence.</summary>
    DoNotFence,

    /// <summary>The witness could not be reached: the priority fencing delay decides, as without a witness.</summary>
    FallBack,
}
