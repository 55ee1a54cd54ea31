namespace ClusterD.ResourceManager.Configuration;

/// <summary>How a rule expression compares values (<c>type</c>): as text, integers, decimals or dotted versions.</summary>
#pragma warning disable CA1720 // The members are Pacemaker's type names (type="string" / "integer").
public enum RuleValueType
{
    String,
    Integer,
    Number,
    Version,
}
#pragma warning restore CA1720
