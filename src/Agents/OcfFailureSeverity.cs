namespace ClusterD.Agents;

/// <summary>
/// How far a failure reaches, as Pacemaker treats an unexpected exit code (code path, not the
/// docs table: <c>lib/pengine/unpack.c</c>; see field notes section 2.2).
/// </summary>
public enum OcfFailureSeverity
{
    /// <summary>Not a failure.</summary>
    None,

    /// <summary>Recover in place: restart here, or move once <c>migration-threshold</c> is reached.</summary>
    Soft,

    /// <summary>The resource cannot run on this node: ban it from this node.</summary>
    Hard,

    /// <summary>The configuration is wrong: the resource cannot run anywhere until it is fixed.</summary>
    Fatal,
}
