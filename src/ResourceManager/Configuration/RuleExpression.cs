using System.Globalization;

namespace ClusterD.ResourceManager.Configuration;

/// <summary>
/// One test on a node attribute: <c>defined ATTR</c>, <c>not_defined ATTR</c> or
/// <c>ATTR [type:]op VALUE</c> with op one of eq, ne, lt, gt, lte, gte.
/// </summary>
public sealed record RuleExpression(string Attribute, RuleOperator Operator, string? Value = null, RuleValueType? Type = null)
{
    public bool IsUnary => Operator is RuleOperator.Defined or RuleOperator.NotDefined;

    /// <summary>
    /// Evaluates against a node's attributes, as Pacemaker does: a missing attribute satisfies only
    /// <c>not_defined</c> and <c>ne</c>. Without an explicit type, two integers compare as integers, two
    /// numbers as decimals, anything else as text ignoring case (Pacemaker uses <c>strcasecmp</c>).
    /// A value that does not parse as the explicit type never matches.
    /// </summary>
    public bool Matches(IReadOnlyDictionary<string, string> nodeAttributes)
    {
        ArgumentNullException.ThrowIfNull(nodeAttributes);
        var present = nodeAttributes.TryGetValue(Attribute, out var actual);
        switch (Operator)
        {
            case RuleOperator.Defined:
                return present;
            case RuleOperator.NotDefined:
                return !present;
        }

        if (!present || Value is null)
        {
            return Operator == RuleOperator.Ne;
        }

        if (Compare(actual!, Value, Type) is not { } cmp)
        {
            return false;
        }

        return Operator switch
        {
            RuleOperator.Eq => cmp == 0,
            RuleOperator.Ne => cmp != 0,
            RuleOperator.Lt => cmp < 0,
            RuleOperator.Gt => cmp > 0,
            RuleOperator.Lte => cmp <= 0,
            RuleOperator.Gte => cmp >= 0,
            _ => false,
        };
    }

    private static int? Compare(string left, string right, RuleValueType? type)
    {
        var effective = type ?? InferType(left, right);
        switch (effective)
        {
            case RuleValueType.Integer:
                return long.TryParse(left, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var li)
                    && long.TryParse(right, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ri)
                    ? li.CompareTo(ri) : null;
            case RuleValueType.Number:
                return TryNumber(left, out var ld) && TryNumber(right, out var rd) ? ld.CompareTo(rd) : null;
            case RuleValueType.Version:
                return CompareVersions(left, right);
            default:
                return Math.Sign(string.Compare(left, right, StringComparison.OrdinalIgnoreCase));
        }
    }

    private static RuleValueType InferType(string left, string right)
    {
        if (long.TryParse(left, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
            && long.TryParse(right, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            return RuleValueType.Integer;
        }

        return TryNumber(left, out _) && TryNumber(right, out _) ? RuleValueType.Number : RuleValueType.String;
    }

    private static bool TryNumber(string s, out double value) =>
        double.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);

    // Dotted versions compare numerically part by part; a missing part counts as 0 (1.2 == 1.2.0).
    private static int? CompareVersions(string left, string right)
    {
        var l = left.Split('.');
        var r = right.Split('.');
        for (var i = 0; i < Math.Max(l.Length, r.Length); i++)
        {
            long a = 0, b = 0;
            if ((i < l.Length && !long.TryParse(l[i], NumberStyles.None, CultureInfo.InvariantCulture, out a))
                || (i < r.Length && !long.TryParse(r[i], NumberStyles.None, CultureInfo.InvariantCulture, out b)))
            {
                return null;
            }

            if (a != b)
            {
                return a.CompareTo(b);
            }
        }

        return 0;
    }
}
