namespace ClusterD.ResourceManager.Configuration;

/// <summary>
/// An error or warning about a configuration file: where (file, 1-based line and column; 0 when not
/// known) and what is wrong or was expected. Prints as <c>file:line:column: message</c>.
/// </summary>
public sealed record ConfigDiagnostic(string File, int Line, int Column, string Message)
{
    public override string ToString() => Line <= 0
        ? $"{File}: {Message}"
        : Column <= 0 ? $"{File}:{Line}: {Message}" : $"{File}:{Line}:{Column}: {Message}";
}
