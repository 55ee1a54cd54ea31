using ClusterD.ResourceManager.Files;
using System.Runtime.CompilerServices;
using System.Xml;
using System.Xml.Linq;

namespace ClusterD.ResourceManager.Configuration;

/// <summary>
/// Loads CIB XML as hostile input: no DTDs, no external resolution, bounded size and entity
/// expansion; and helpers to read elements with their line and column.
/// </summary>
internal static class CibXml
{
    /// <summary>A CIB with thousands of resources and a long status history is a few megabytes.</summary>
    public const long MaxCharacters = 64L * 1024 * 1024;

    /// <summary>
    /// How deep elements may nest. A real CIB is about 10 levels deep (cib, configuration, resources,
    /// clone, group, primitive, meta_attributes, rule, nested rules, expression); 256 leaves room for
    /// any nesting of rules a person writes. Deeper input is refused up front, in one streaming pass
    /// that stops at the first element too deep, so nothing that walks the tree has to cope with it.
    /// </summary>
    public const int MaxDepth = 256;

    public static XmlReaderSettings Settings { get; } = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = MaxCharacters,
        MaxCharactersFromEntities = 1024,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        CloseInput = false,
    };

    public static XDocument Load(string text, CancellationToken cancellationToken = default)
    {
        try
        {
            CheckDepth(text, cancellationToken);
            using var reader = XmlReader.Create(new CancellableTextReader(new StringReader(text), cancellationToken), Settings);
            return XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException e) when (e.LineNumber == 0)
        {
            // The DTD refusal comes without a position (the reader is in its error state by then):
            // point at the declaration ourselves.
            var at = text.IndexOf("<!DOCTYPE", StringComparison.Ordinal);
            var line = at < 0 ? 1 : text.AsSpan(0, at).Count('\n') + 1;
            var column = at < 0 ? 1 : at - text.LastIndexOf('\n', Math.Max(0, at - 1));
            throw new XmlException(e.Message, e, line, column);
        }
    }

    /// <summary>
    /// Throws <see cref="XmlTooDeepException"/> at the first element deeper than <see cref="MaxDepth"/>,
    /// naming its path (the outer and inner elements of it) and position. One streaming pass that
    /// stops there; badly formed XML is left for the real load to report.
    /// </summary>
    private static void CheckDepth(string text, CancellationToken cancellationToken)
    {
        using var reader = XmlReader.Create(new CancellableTextReader(new StringReader(text), cancellationToken), Settings);
        var path = new List<string>();
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.EndElement)
            {
                path.RemoveAt(path.Count - 1);
                continue;
            }

            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            if (reader.Depth >= MaxDepth)
            {
                path.Add(reader.Name);
                var shown = string.Join(" > ", path.Take(6)) + $" > ... ({path.Count - 9} more) > " + string.Join(" > ", path.TakeLast(3));
                var info = (IXmlLineInfo)reader;
                throw new XmlTooDeepException(
                    $"elements nest deeper than {MaxDepth} levels (a CIB is about 10 deep): {shown}; refused", info.LineNumber, info.LinePosition);
            }

            if (!reader.IsEmptyElement)
            {
                path.Add(reader.Name);
            }
        }
    }

    /// <summary>Reads at most <see cref="MaxCharacters"/> characters; null when there are more.</summary>
    public static string? ReadBounded(TextReader reader)
    {
        var buffer = new char[81920];
        var sb = new System.Text.StringBuilder();
        int n;
        while ((n = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            sb.Append(buffer, 0, n);
            if (sb.Length > MaxCharacters)
            {
                return null;
            }
        }

        return sb.ToString();
    }

    public static SourcePos Pos(XObject node) =>
        node is IXmlLineInfo info && info.HasLineInfo() ? new SourcePos(info.LineNumber, info.LinePosition) : default;

    public static string? Attr(XElement element, string name) => element.Attribute(name)?.Value;

    public static SourcePos AttrPos(XElement element, string name) =>
        element.Attribute(name) is { } a ? Pos(a) : Pos(element);

    /// <summary>The nvpairs of every child set named <paramref name="setName"/>, in document order.</summary>
    public static List<SourceAttribute> NvPairs(XElement parent, string setName, ConfigBuilder builder)
    {
        var list = new List<SourceAttribute>();
        foreach (var set in parent.Elements(setName))
        {
            if (Resolve(set, builder) is not { } resolved)
            {
                continue;
            }

            foreach (var child in resolved.Elements())
            {
                switch (child.Name.LocalName)
                {
                    case "nvpair":
                        // A referenced nvpair lends its name and value where the reference has none.
                        if (Resolve(child, builder) is not { } pair)
                        {
                            break;
                        }

                        var nameAt = child.Attribute("name") is null ? pair : child;
                        var valueAt = child.Attribute("value") is null ? pair : child;
                        if (Attr(nameAt, "name") is not { } name)
                        {
                            builder.Error(Pos(child), "<nvpair> without a name");
                        }
                        else if (Attr(valueAt, "value") is not { } value)
                        {
                            // Pacemaker skips it too: a default or an earlier set still applies.
                            builder.Warn(Pos(child), $"<nvpair name=\"{name}\"> has no value and is skipped, as Pacemaker does");
                        }
                        else
                        {
                            list.Add(new SourceAttribute(name, value, AttrPos(nameAt, "name"), AttrPos(valueAt, "value")));
                        }

                        break;
                    case "rule":
                        builder.Error(Pos(child), $"a rule inside <{setName}> is not supported: clusterd applies attribute sets unconditionally, so write the values out");
                        break;
                    default:
                        builder.Warn(Pos(child), $"<{child.Name.LocalName}> inside <{setName}> is ignored");
                        break;
                }
            }
        }

        return list;
    }

    /// <summary>
    /// The element itself, or for <c>id-ref="X"</c> the element of the same name whose id is X, as
    /// Pacemaker's <c>expand_idref</c> looks it up in the whole CIB; null, with an error at the
    /// reference, when there is none.
    /// </summary>
    public static XElement? Resolve(XElement element, ConfigBuilder builder)
    {
        if (element.Attribute("id-ref") is not { } idRef)
        {
            return element;
        }

        var name = element.Name.LocalName;
        if (element.Document is { } document && IdIndex.GetValue(document, IndexIds).TryGetValue((name, idRef.Value), out var target))
        {
            return target;
        }

        builder.Error(Pos(idRef), $"<{name} id-ref=\"{idRef.Value}\"> refers to no <{name}> with that id");
        return null;
    }

    private static readonly ConditionalWeakTable<XDocument, Dictionary<(string Name, string Id), XElement>> IdIndex = new();

    /// <summary>Every element with an id, by element name and id; the first in document order wins.</summary>
    private static Dictionary<(string Name, string Id), XElement> IndexIds(XDocument document)
    {
        var index = new Dictionary<(string Name, string Id), XElement>();
        foreach (var element in document.Descendants())
        {
            if (element.Attribute("id") is { } id)
            {
                index.TryAdd((element.Name.LocalName, id.Value), element);
            }
        }

        return index;
    }
}
