namespace ClusterD.ResourceManager.Configuration;

/// <summary>
/// A location rule: when the node's attributes satisfy the expressions (all of them for
/// <see cref="BooleanOperator.And"/>, any for <see cref="BooleanOperator.Or"/>), the node gets
/// <see cref="Score"/>, or the numeric value of the node attribute named by <see cref="ScoreAttribute"/>
/// when that is set (then <see cref="Score"/> is 0). <see cref="Role"/> limits the rule to instances in that role. The parsers give a
/// rule with a single expression the operator <see cref="BooleanOperator.And"/>.
/// </summary>
public sealed record LocationRule(
    Score Score,
    EquatableArray<RuleExpression> Expressions,
    BooleanOperator Operator = BooleanOperator.And,
    string? ScoreAttribute = null,
    ResourceRole? Role = null)
{
    /// <summary>
    /// Whether a node with these attributes matches. The caller includes the node's built-in
    /// attributes (<c>#uname</c>, <c>#id</c>) in <paramref name="nodeAttributes"/>.
    /// </summary>
    public bool Matches(IReadOnlyDictionary<string, string> nodeAttributes)
    {
        ArgumentNullException.ThrowIfNull(nodeAttributes);
        if (Expressions.IsEmpty)
        {
            return false;
        }

        return Operator == BooleanOperator.And
            ? Expressions.All(e => e.Matches(nodeAttributes))
            : Expressions.Any(e => e.Matches(nodeAttributes));
    }

    /// <summary>The score this rule gives a matching node: <see cref="Score"/>, or the score attribute's value (0 when missing or not a score).</summary>
    public Score ScoreFor(IReadOnlyDictionary<string, string> nodeAttributes)
    {
        ArgumentNullException.ThrowIfNull(nodeAttributes);
        if (ScoreAttribute is null)
        {
            return Score;
        }

        return nodeAttributes.TryGetValue(ScoreAttribute, out var text) && Configuration.Score.TryParse(text, out var s) ? s : Score.Zero;
    }
}
