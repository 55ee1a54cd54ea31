using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using ClusterD.ResourceManager.Files;
using ClusterD.ResourceManager.Status;

namespace ClusterD.ResourceManager.Configuration;

/// <summary>
/// Imports a Pacemaker CIB (the XML of <c>cibadmin -Q</c>, Pacemaker 2.x schema) into the same
/// <see cref="ClusterConfig"/> the crm parser builds, and its <c>status</c> section into a
/// <see cref="ClusterStatus"/>. Ids of nvpairs, attribute sets and operations carry no meaning and are
/// dropped. Input is hostile: no DTDs, bounded size; errors carry line and column. Pure except
/// <see cref="ImportFile"/>.
/// </summary>
public static class CibImporter
{
    public static CibImportResult Import(string xml, string fileName = "<input>", bool includeStatus = true) =>
        ImportInterruptible(xml, fileName, includeStatus, CancellationToken.None);

    /// <summary>
    /// As <see cref="Import(string, string, bool)"/>, throwing <see cref="OperationCanceledException"/> once
    /// <paramref name="cancellationToken"/> is cancelled: the XML is read a buffer at a time and the sections
    /// an element at a time, each step checking it.
    /// </summary>
    public static CibImportResult ImportInterruptible(string xml, string fileName, bool includeStatus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(xml);
        using var reader = new StringReader(xml);
        return Import(reader, fileName, includeStatus, cancellationToken);
    }

    public static CibImportResult Import(TextReader xml, string fileName = "<input>", bool includeStatus = true) =>
        Import(xml, fileName, includeStatus, CancellationToken.None);

    private static CibImportResult Import(TextReader xml, string fileName, bool includeStatus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(xml);
        ArgumentNullException.ThrowIfNull(fileName);
        var builder = new ConfigBuilder(fileName, cancellationToken);
        XDocument doc;
        try
        {
            var text = CibXml.ReadBounded(xml) ?? throw new XmlException($"the document is larger than {CibXml.MaxCharacters} characters", null, 0, 0);
            doc = CibXml.Load(text, cancellationToken);
        }
        catch (XmlException e)
        {
            builder.Error(new SourcePos(e.LineNumber, e.LinePosition), e is XmlTooDeepException ? e.Message : $"not well-formed XML: {e.Message}");
            var failed = builder.Build();
            return new CibImportResult(null, null, failed.Errors, failed.Warnings);
        }

        var root = doc.Root!;
        if (root.Name.LocalName != "cib")
        {
            builder.Error(CibXml.Pos(root), $"expected a <cib> document (cibadmin -Q), found <{root.Name.LocalName}>");
        }
        else
        {
            builder.Version = new ConfigVersion(Epoch(root, "admin_epoch", builder), Epoch(root, "epoch", builder));
            if (root.Element("configuration") is { } configuration)
            {
                new CibConfigurationReader(builder).Read(configuration);
            }
            else
            {
                builder.Error(CibXml.Pos(root), "the <cib> has no <configuration> section");
            }
        }

        var result = builder.Build();
        ClusterStatus? status = null;
        var warnings = result.Warnings;
        var errors = result.Errors;
        if (result.Succeeded && includeStatus && root.Element("status") is { } statusElement)
        {
            var statusBuilder = new ConfigBuilder(fileName, cancellationToken);
            status = new CibStatusReader(statusBuilder, result.Config).Read(root, statusElement);
            var statusResult = statusBuilder.Build();
            errors = errors.AddRange(statusResult.Errors);
            warnings = warnings.AddRange(statusResult.Warnings);
            if (!statusResult.Errors.IsEmpty)
            {
                status = null;
            }
        }

        return errors.IsEmpty
            ? new CibImportResult(result.Config, status, errors, warnings)
            : new CibImportResult(null, null, errors, warnings);
    }

    /// <summary>Reads and imports a file; an unreadable, oversized or non-regular file is reported as an error, not thrown.</summary>
    public static CibImportResult ImportFile(string path, bool includeStatus = true)
    {
        ArgumentNullException.ThrowIfNull(path);
        return BoundedFile.TryReadText(path, InputFileKind.Configuration, out var text, out var error)
            ? Import(text, path, includeStatus)
            : new CibImportResult(null, null, [new ConfigDiagnostic(path, 0, 0, error)], []);
    }

    private static int Epoch(XElement root, string name, ConfigBuilder builder)
    {
        var text = CibXml.Attr(root, name);
        if (text is null)
        {
            return 0;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        builder.Error(CibXml.AttrPos(root, name), $"{name} '{text}' is not a non-negative integer");
        return 0;
    }
}
