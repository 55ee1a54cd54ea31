namespace ClusterD.ResourceManager.Configuration;

/// <summary>A rule expression's operation on a node attribute.</summary>
public enum RuleOperator
{
    Defined,
    NotDefined,
    Eq,
    Ne,
    Lt,
    Gt,
    Lte,
    Gte,
}
