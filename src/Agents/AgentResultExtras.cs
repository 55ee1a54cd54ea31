namespace ClusterD.Agents;

/// <summary>Well-known keys of <see cref="AgentResult.Extras"/>; agents may add their own (lower-case, dash-separated).</summary>
public static class AgentResultExtras
{
    /// <summary>
    /// The promotion score this instance asks for (an integer as text, <c>-INFINITY</c>..<c>INFINITY</c>),
    /// what script agents set through <c>crm_master</c>/<c>crm_attribute -p</c>. Absent means "unchanged".
    /// </summary>
    public const string PromotionScore = "promotion-score";

    /// <summary>The OCF 1.1 exit reason the agent gave (<c>ocf-exit-reason:</c> lines on stderr), also in <see cref="AgentResult.ExitReason"/>.</summary>
    public const string ExitReason = "exit-reason";

    /// <summary>The state file a native agent keeps, for diagnostics.</summary>
    public const string StateFile = "state-file";
}
