namespace ClusterD.ResourceManager.Configuration;

/// <summary>How a rule combines its expressions (<c>boolean-op</c>).</summary>
public enum BooleanOperator
{
    And,
    Or,
}
