using System.Xml;

namespace ClusterD.ResourceManager.Configuration;

/// <summary>A CIB whose elements nest deeper than <see cref="CibXml.MaxDepth"/>: refused before it is built.</summary>
internal sealed class XmlTooDeepException(string message, int line, int column) : XmlException(message, null, line, column)
{
    /// <summary>The message without the position <see cref="XmlException"/> appends (the diagnostic carries it).</summary>
    public override string Message { get; } = message;
}
