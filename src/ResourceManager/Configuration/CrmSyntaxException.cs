namespace ClusterD.ResourceManager.Configuration;

/// <summary>Ends the parse of one statement; the parser reports it and goes on with the next statement.</summary>
internal sealed class CrmSyntaxException(SourcePos at, string message) : Exception(message)
{
    public SourcePos At { get; } = at;
}
