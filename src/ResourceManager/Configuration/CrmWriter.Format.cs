using System.Text;

namespace ClusterD.ResourceManager.Configuration;

/// <summary>Locations with rules, and quoting.</summary>
public static partial class CrmWriter
{
    /// <summary>Words that would be read as syntax where an id or value stands; written quoted.</summary>
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "params", "meta", "op", "utilization", "attributes", "rule", "and", "or", "defined", "not_defined", "date",
    };

    private static void WriteLocation(StringBuilder sb, LocationConstraint l)
    {
        sb.Append("location ").Append(Id(l.Id)).Append(' ').Append(Id(l.Resource));
        if (l.Role is { } role)
        {
            sb.Append(" role=").Append(ResourceRoles.Name(role));
        }

        if (l.Rules.IsEmpty)
        {
            sb.Append(' ').Append(CrmScore(l.Score)).Append(": ").Append(l.Node);
        }

        foreach (var rule in l.Rules)
        {
            sb.Append(Continue).Append("rule ");
            if (rule.Role is { } ruleRole)
            {
                sb.Append("$role=").Append(ResourceRoles.Name(ruleRole)).Append(' ');
            }

            sb.Append(rule.ScoreAttribute ?? CrmScore(rule.Score)).Append(':');
            for (var i = 0; i < rule.Expressions.Count; i++)
            {
                if (i > 0)
                {
                    sb.Append(rule.Operator == BooleanOperator.And ? " and" : " or");
                }

                var e = rule.Expressions[i];
                if (e.IsUnary)
                {
                    sb.Append(' ').Append(AttributeRules.RuleOperatorName(e.Operator)).Append(' ').Append(Quote(e.Attribute));
                    continue;
                }

                sb.Append(' ').Append(Quote(e.Attribute)).Append(' ');
                if (e.Type is { } type)
                {
                    sb.Append(type.ToString().ToLowerInvariant()).Append(':');
                }

                sb.Append(AttributeRules.RuleOperatorName(e.Operator)).Append(' ').Append(Quote(e.Value ?? ""));
            }
        }

        if (l.ResourceDiscovery is { } discovery)
        {
            sb.Append(l.Rules.IsEmpty ? " " : Continue).Append("resource-discovery=").Append(discovery.ToString().ToLowerInvariant());
        }

        sb.Append('\n');
    }

    /// <summary>crmsh's spelling of scores in constraints: <c>inf</c>, <c>-inf</c> or the integer.</summary>
    private static string CrmScore(Score score) => score.IsInfinity ? "inf" : score.IsMinusInfinity ? "-inf" : score.ToString();

    private static string WithRole(string id, ResourceRole? role) =>
        role is { } r ? $"{Id(id)}:{ResourceRoles.Name(r)}" : Id(id);

    private static void Description(StringBuilder sb, string? description)
    {
        if (description is not null)
        {
            sb.Append(" description=").Append(Quote(description));
        }
    }

    private static void Clause(StringBuilder sb, string keyword, AttributeMap map)
    {
        if (!map.IsEmpty)
        {
            sb.Append(Continue).Append(keyword);
            Pairs(sb, map.Items);
        }
    }

    private static void Pairs(StringBuilder sb, IEnumerable<KeyValuePair<string, string>> items)
    {
        foreach (var (key, value) in items)
        {
            sb.Append(' ').Append(key).Append('=').Append(Quote(value));
        }
    }

    private static string Id(string id) => Reserved.Contains(id) ? Quote(id, force: true) : id;

    private static bool IsPlain(string value) =>
        value.Length > 0 && !Reserved.Contains(value)
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/' or '@' or '%' or '+' or ',' or '~' or '^' or ':' or '#')
        && value[0] is not ('(' or '[' or '{');

    /// <summary>A value as is when it is plainly one word, else double-quoted with \" \\ \n \t escapes.</summary>
    private static string Quote(string value, bool force = false)
    {
        if (!force && IsPlain(value))
        {
            return value;
        }

        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                _ => c.ToString(),
            });
        }

        return sb.Append('"').ToString();
    }
}
