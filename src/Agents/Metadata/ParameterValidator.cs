using System.Globalization;

namespace ClusterD.Agents.Metadata;

/// <summary>
/// Checks a resource's parameters against its agent's meta-data before the first start: missing
/// required parameters are errors; unknown names, values that do not fit the declared type and
/// deprecated parameters are warnings (agents are often more forgiving than their meta-data). Pure.
/// </summary>
public static class ParameterValidator
{
    /// <summary>Pacemaker's boolean spellings (<c>crm_is_true</c>).</summary>
    private static readonly HashSet<string> Booleans = new(StringComparer.OrdinalIgnoreCase)
    {
        "true", "false", "yes", "no", "on", "off", "y", "n", "1", "0",
    };

    /// <summary>The issues of <paramref name="parameters"/>, errors first, each group by parameter name.</summary>
    public static IReadOnlyList<ParameterIssue> Validate(AgentMetadata metadata, IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(parameters);
        var issues = new List<ParameterIssue>();
        // A required parameter that declares a default is filled in by the agent itself.
        foreach (var declared in metadata.Parameters.Where(p => p.Required && string.IsNullOrEmpty(p.Default)))
        {
            if (!parameters.TryGetValue(declared.Name, out var value) || value.Length == 0)
            {
                issues.Add(new ParameterIssue(ParameterIssueKind.MissingRequired, declared.Name,
                    $"required parameter '{declared.Name}' is not set"));
            }
        }

        foreach (var (name, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var declared = metadata.Parameter(name);
            if (declared is null)
            {
                issues.Add(new ParameterIssue(ParameterIssueKind.Unknown, name,
                    $"parameter '{name}' is not declared by {Describe(metadata)}"));
                continue;
            }

            if (declared.Deprecated)
            {
                issues.Add(new ParameterIssue(ParameterIssueKind.Deprecated, name, $"parameter '{name}' is deprecated"));
            }

            if (TypeProblem(declared, value) is { } problem)
            {
                issues.Add(new ParameterIssue(ParameterIssueKind.InvalidValue, name, $"parameter '{name}': {problem}"));
            }
        }

        return issues;
    }

    private static string? TypeProblem(AgentParameter declared, string value) => declared.Type switch
    {
        "integer" when !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
            => $"'{value}' is not an integer",
        "boolean" when !Booleans.Contains(value) => $"'{value}' is not a boolean",
        "select" when declared.Options.Length > 0 && !declared.Options.Contains(value)
            => $"'{value}' is not one of {string.Join(", ", declared.Options)}",
        _ => null,
    };

    private static string Describe(AgentMetadata metadata) =>
        metadata.Name.Length == 0 ? "the agent" : $"agent '{metadata.Name}'";
}
