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

    public static XDocument Load(string text)
    {
        using var reader = XmlReader.Create(new StringReader(text), Settings);
        try
        {
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
            if (set.Attribute("id-ref") is { } idRef)
            {
                builder.Error(Pos(idRef), $"<{setName} id-ref=\"{idRef.Value}\">: references to attribute sets are not supported; write the set out");
                continue;
            }

            foreach (var child in set.Elements())
            {
                switch (child.Name.LocalName)
                {
                    case "nvpair":
                        if (child.Attribute("id-ref") is not null)
                        {
                            builder.Error(Pos(child), "<nvpair id-ref=...>: references to nvpairs are not supported");
                        }
                        else if (Attr(child, "name") is not { } name)
                        {
                            builder.Error(Pos(child), "<nvpair> without a name");
                        }
                        else if (Attr(child, "value") is not { } value)
                        {
                            // Pacemaker skips it too: a default or an earlier set still applies.
                            builder.Warn(Pos(child), $"<nvpair name=\"{name}\"> has no value and is skipped, as Pacemaker does");
                        }
                        else
                        {
                            list.Add(new SourceAttribute(name, value, AttrPos(child, "name"), AttrPos(child, "value")));
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
}
