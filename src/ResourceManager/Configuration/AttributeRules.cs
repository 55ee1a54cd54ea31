namespace ClusterD.ResourceManager.Configuration;

/// <summary>
/// The value rules shared by the crm parser and the CIB import: which names are valid ids, and
/// which attribute values must parse as what. Each check returns the problem, or null when fine.
/// </summary>
internal static class AttributeRules
{
    /// <summary>An XML ID as Pacemaker requires for resource and constraint ids.</summary>
    public static bool IsValidId(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= 256 && (char.IsAsciiLetter(id[0]) || id[0] == '_')
        && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    /// <summary>A node name: a host name, possibly starting with a digit.</summary>
    public static bool IsValidNodeName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 256 && char.IsAsciiLetterOrDigit(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    /// <summary>An attribute name: printable, no white space, quotes or '='.</summary>
    public static bool IsValidAttributeName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 256
        && name.All(c => c > ' ' && c < 127 && c is not ('=' or '"' or '\'' or '\\'));

    public static string? CheckResourceMeta(string name, string value) => name switch
    {
        MetaNames.TargetRole => ResourceRoles.TryParse(value, out _) ? null : $"target-role '{value}' is not a role ({ResourceRoles.Expected})",
        MetaNames.IsManaged or MetaNames.Maintenance or MetaNames.Notify or MetaNames.Interleave
            or MetaNames.GloballyUnique or MetaNames.Ordered or MetaNames.Promotable => CheckBool(name, value),
        MetaNames.ResourceStickiness or MetaNames.MigrationThreshold or MetaNames.Priority => CheckScore(name, value),
        MetaNames.FailureTimeout => CheckDuration(name, value),
        MetaNames.CloneMax or MetaNames.CloneNodeMax or MetaNames.PromotedMax or MetaNames.PromotedNodeMax
            or MetaNames.MasterMax or MetaNames.MasterNodeMax => AttributeValues.TryParseCount(value, out _)
                ? null : $"{name} '{value}' is not a non-negative integer",
        MetaNames.MultipleActive => value is "stop_start" or "stop_only" or "block" or "stop_unexpected"
            ? null : $"multiple-active '{value}' is not one of stop_start, stop_only, block, stop_unexpected",
        _ => null,
    };

    public static string? CheckOperationAttribute(string name, string value) => name switch
    {
        "interval" or "timeout" or "start-delay" => CheckDuration(name, value),
        "role" => ResourceRoles.TryParse(value, out _) ? null : $"role '{value}' is not a role ({ResourceRoles.Expected})",
        "on-fail" => TryParseOnFail(value, out _) ? null : $"on-fail '{value}' is not one of ignore, block, stop, restart, fence, standby, demote",
        "enabled" or "record-pending" => CheckBool(name, value),
        _ => null,
    };

    public static string? CheckNodeAttribute(string name, string value) =>
        name is MetaNames.Standby or MetaNames.Maintenance ? CheckBool(name, value) : null;

    /// <summary>Stores old clone meta names under their Pacemaker 2.1 names.</summary>
    public static string NormalizeCloneMetaName(string name) => name switch
    {
        MetaNames.MasterMax => MetaNames.PromotedMax,
        MetaNames.MasterNodeMax => MetaNames.PromotedNodeMax,
        _ => name,
    };

    public static bool TryParseOnFail(string? text, out OnFailPolicy policy) =>
        Enum.TryParse(text, ignoreCase: true, out policy) && text!.All(char.IsAsciiLetter);

    public static bool TryParseAction(string? text, out ResourceAction action) =>
        Enum.TryParse(text, ignoreCase: true, out action) && text!.All(char.IsAsciiLetter);

    public static bool TryParseOrderKind(string? text, out OrderKind kind) =>
        Enum.TryParse(text, ignoreCase: true, out kind) && text!.All(char.IsAsciiLetter);

    public static bool TryParseNoQuorumPolicy(string? text, out NoQuorumPolicy policy) =>
        Enum.TryParse(text, ignoreCase: true, out policy) && text!.All(char.IsAsciiLetter);

    public static bool TryParseDiscovery(string? text, out ResourceDiscovery discovery) =>
        Enum.TryParse(text, ignoreCase: true, out discovery) && text!.All(char.IsAsciiLetter);

    public static bool TryParseValueType(string? text, out RuleValueType type) =>
        Enum.TryParse(text, ignoreCase: true, out type) && text!.All(char.IsAsciiLetter);

    public static bool TryParseRuleOperator(string? text, out RuleOperator op)
    {
        op = text switch
        {
            "defined" => RuleOperator.Defined,
            "not_defined" => RuleOperator.NotDefined,
            "eq" => RuleOperator.Eq,
            "ne" => RuleOperator.Ne,
            "lt" => RuleOperator.Lt,
            "gt" => RuleOperator.Gt,
            "lte" => RuleOperator.Lte,
            "gte" => RuleOperator.Gte,
            _ => (RuleOperator)(-1),
        };
        return (int)op >= 0;
    }

    public static string RuleOperatorName(RuleOperator op) => op switch
    {
        RuleOperator.Defined => "defined",
        RuleOperator.NotDefined => "not_defined",
        _ => op.ToString().ToLowerInvariant(),
    };

    public static string ActionName(ResourceAction action) => action.ToString().ToLowerInvariant();

    public static string OnFailName(OnFailPolicy policy) => policy.ToString().ToLowerInvariant();

    private static string? CheckBool(string name, string value) =>
        AttributeValues.TryParseBool(value, out _) ? null : $"{name} '{value}' is not a boolean (true/false, yes/no, on/off, 1/0)";

    private static string? CheckScore(string name, string value) =>
        Score.TryParseValue(value, out _) ? null : $"{name} '{value}' is not a score (an integer, INFINITY or -INFINITY)";

    private static string? CheckDuration(string name, string value) =>
        Duration.TryParse(value, out _) ? null : $"{name} '{value}' is not a duration (e.g. 30s, 5min, 1h, 500ms; plain numbers are seconds)";
}
