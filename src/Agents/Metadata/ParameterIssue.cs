namespace ClusterD.Agents.Metadata;

/// <summary>One finding of <see cref="ParameterValidator"/>.</summary>
/// <param name="Kind">What is wrong.</param>
/// <param name="Parameter">The parameter concerned.</param>
/// <param name="Message">A sentence for the operator.</param>
public sealed record ParameterIssue(ParameterIssueKind Kind, string Parameter, string Message)
{
    /// <summary>Only a missing required parameter stops a start; the rest are warnings.</summary>
    public bool IsError => Kind == ParameterIssueKind.MissingRequired;

    /// <inheritdoc/>
    public override string ToString() => Message;
}
