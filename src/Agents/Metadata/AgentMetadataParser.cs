using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace ClusterD.Agents.Metadata;

/// <summary>
/// Reads agent meta-data XML into <see cref="AgentMetadata"/>, leniently: unknown elements,
/// missing attributes, odd booleans and unreadable timeouts become warnings, never failures
/// (field notes section 4 item 23: pcs once refused <c>ocf:linbit:drbd</c> because its
/// meta-data failed RelaxNG validation). Only text that is not XML at all is refused.
/// </summary>
/// <remarks>
/// The input comes from a program, so it is read as hostile: no DTD processing (the heartbeat
/// agents' <c>&lt;!DOCTYPE&gt;</c> is skipped, never fetched or expanded), no resolver, and at
/// most <see cref="MaxDocumentBytes"/> characters.
/// </remarks>
public static class AgentMetadataParser
{
    /// <summary>The largest document read: 1 MiB (the biggest heartbeat agent's meta-data is about 30 KiB).</summary>
    public const int MaxDocumentBytes = 1024 * 1024;

    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Ignore,
        XmlResolver = null,
        MaxCharactersInDocument = MaxDocumentBytes,
        MaxCharactersFromEntities = 1024,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    /// <summary>Parses <paramref name="xml"/>; throws <see cref="FormatException"/> only when it is not XML.</summary>
    public static AgentMetadata Parse(string xml) =>
        TryParse(xml, out var metadata, out var error) ? metadata : throw new FormatException(error);

    /// <summary>Parses <paramref name="xml"/>; false, with <paramref name="error"/>, only when it is not well-formed XML or too large.</summary>
    public static bool TryParse(string? xml, [NotNullWhen(true)] out AgentMetadata? metadata, [NotNullWhen(false)] out string? error)
    {
        metadata = null;
        if (string.IsNullOrWhiteSpace(xml))
        {
            error = "meta-data is empty";
            return false;
        }

        var warnings = new List<string>();
        var start = xml.IndexOf('<', StringComparison.Ordinal);
        if (start > 0 && xml[..start].Trim().Length > 0)
        {
            warnings.Add($"ignored text before the XML: {xml[..Math.Min(start, 80)].Trim()}");
            xml = xml[start..];
        }

        XElement root;
        try
        {
            using var text = new StringReader(xml);
            using var reader = XmlReader.Create(text, Settings);
            root = XDocument.Load(reader).Root ?? throw new XmlException("no root element");
        }
        catch (XmlException e)
        {
            error = $"meta-data is not well-formed XML: {e.Message}";
            return false;
        }

        if (root.Name.LocalName != "resource-agent")
        {
            warnings.Add($"root element is <{root.Name.LocalName}>, expected <resource-agent>");
        }

        var name = Attr(root, "name");
        if (name is null)
        {
            warnings.Add("<resource-agent> has no name");
        }

        metadata = new AgentMetadata(name ?? "")
        {
            Version = Attr(root, "version") ?? Child(root, "version")?.Value.Trim(),
            ShortDescription = Description(root, "shortdesc"),
            Parameters = ReadParameters(root, warnings),
            Actions = ReadActions(root, warnings),
        };
        metadata = metadata with { Warnings = [.. warnings] };
        error = null;
        return true;
    }

    private static ImmutableArray<AgentParameter> ReadParameters(XElement root, List<string> warnings)
    {
        var parameters = new List<AgentParameter>();
        var container = Child(root, "parameters");
        if (container is null)
        {
            warnings.Add("no <parameters> element");
            return [];
        }

        foreach (var element in container.Elements())
        {
            if (element.Name.LocalName != "parameter")
            {
                warnings.Add($"ignored <{element.Name.LocalName}> inside <parameters>");
                continue;
            }

            var name = Attr(element, "name");
            if (name is null || !AgentRequest.IsSafeAttributeName(name))
            {
                warnings.Add($"ignored a parameter with {(name is null ? "no name" : $"the unusable name '{name}'")}");
                continue;
            }

            if (parameters.Any(p => p.Name == name))
            {
                warnings.Add($"parameter '{name}' is declared twice; the first declaration is used");
                continue;
            }

            var content = Child(element, "content");
            if (content is null)
            {
                warnings.Add($"parameter '{name}' has no <content>; taken as a string");
            }

            parameters.Add(new AgentParameter(name, Attr(content, "type") ?? "string")
            {
                Required = Flag(element, "required", name, warnings),
                Unique = Flag(element, "unique", name, warnings),
                Deprecated = Flag(element, "deprecated", name, warnings) || Child(element, "deprecated") is not null,
                Default = Attr(content, "default"),
                ShortDescription = Description(element, "shortdesc"),
                Options = content is null ? [] : [.. content.Elements().Where(e => e.Name.LocalName == "option")
                    .Select(e => Attr(e, "value")).OfType<string>()],
            });
        }

        return [.. parameters];
    }

    private static ImmutableArray<MetadataAction> ReadActions(XElement root, List<string> warnings)
    {
        var container = Child(root, "actions");
        if (container is null)
        {
            warnings.Add("no <actions> element");
            return [];
        }

        var actions = new List<MetadataAction>();
        foreach (var element in container.Elements().Where(e => e.Name.LocalName == "action"))
        {
            var name = Attr(element, "name");
            if (name is null)
            {
                warnings.Add("ignored an <action> with no name");
                continue;
            }

            actions.Add(new MetadataAction(name)
            {
                Timeout = Duration(element, "timeout", name, warnings),
                Interval = Duration(element, "interval", name, warnings),
                Depth = int.TryParse(Attr(element, "depth"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var depth) ? depth : null,
                Role = Attr(element, "role"),
            });
        }

        foreach (var needed in new[] { "start", "stop", "monitor" })
        {
            if (!actions.Any(a => a.Name == needed) && !(needed == "monitor" && actions.Any(a => a.Name == "status")))
            {
                warnings.Add($"declares no '{needed}' action");
            }
        }

        return [.. actions];
    }

    private static TimeSpan? Duration(XElement element, string attribute, string action, List<string> warnings)
    {
        var text = Attr(element, attribute);
        if (text is null)
        {
            return null;
        }

        if (OcfDuration.TryParse(text, out var duration))
        {
            return duration;
        }

        warnings.Add($"action '{action}': unreadable {attribute} '{text}'");
        return null;
    }

    /// <summary>OCF booleans are "0"/"1"; true/false/yes/no are accepted with a warning, anything else is false.</summary>
    private static bool Flag(XElement element, string attribute, string parameter, List<string> warnings)
    {
        var text = Attr(element, attribute);
        switch (text?.ToLowerInvariant())
        {
            case null or "0" or "":
                return false;
            case "1":
                return true;
            case "true" or "yes":
                warnings.Add($"parameter '{parameter}': {attribute}=\"{text}\" read as 1");
                return true;
            case "false" or "no":
                warnings.Add($"parameter '{parameter}': {attribute}=\"{text}\" read as 0");
                return false;
            default:
                warnings.Add($"parameter '{parameter}': unreadable {attribute}=\"{text}\", taken as 0");
                return false;
        }
    }

    /// <summary>The English description, else the first one, whitespace collapsed.</summary>
    private static string? Description(XElement element, string kind)
    {
        var all = element.Elements().Where(e => e.Name.LocalName == kind).ToList();
        var chosen = all.FirstOrDefault(e => (Attr(e, "lang") ?? "en").StartsWith("en", StringComparison.OrdinalIgnoreCase)) ?? all.FirstOrDefault();
        return chosen is null ? null : string.Join(' ', chosen.Value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    private static XElement? Child(XElement? element, string name) =>
        element?.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    private static string? Attr(XElement? element, string name) =>
        element?.Attributes().FirstOrDefault(a => a.Name.LocalName == name)?.Value;
}
