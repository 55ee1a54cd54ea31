namespace ClusterD.Agents.Metadata;

/// <summary>The kinds of <see cref="ParameterIssue"/>.</summary>
public enum ParameterIssueKind
{
    /// <summary>A required parameter has no value: the agent cannot start (reported as OCF_ERR_CONFIGURED).</summary>
    MissingRequired,

    /// <summary>The agent does not declare this parameter: likely a typo, passed on anyway.</summary>
    Unknown,

    /// <summary>The value does not fit the declared type (integer, boolean, select); passed on anyway.</summary>
    InvalidValue,

    /// <summary>The parameter is deprecated.</summary>
    Deprecated,
}
