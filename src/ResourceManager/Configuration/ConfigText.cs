namespace ClusterD.ResourceManager.Configuration;

/// <summary>
/// A configuration given as text, in either language ClusterD reads: crm shell syntax, or a Pacemaker
/// CIB (XML, as <c>cibadmin -Q</c> writes it), told apart by content. Used by the offline CLI verbs and
/// by the daemon for <c>configure load</c>, so both read a file the same way.
/// </summary>
public static class ConfigText
{
    /// <summary>True when the text starts like XML (after leading white space): a CIB.</summary>
    public static bool IsCib(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.AsSpan().TrimStart().StartsWith("<");
    }

    /// <summary>The configuration (only without errors), every error and every warning; a CIB's status section is not read.</summary>
    /// <param name="fileName">Names the input in diagnostics (<c>file:line:column: message</c>).</param>
    public static ConfigParseResult Parse(string text, string fileName)
    {
        if (!IsCib(text))
        {
            return CrmParser.Parse(text, fileName);
        }

        var imported = CibImporter.Import(text, fileName, includeStatus: false);
        return new ConfigParseResult(imported.Config, imported.Errors, imported.Warnings);
    }
}
