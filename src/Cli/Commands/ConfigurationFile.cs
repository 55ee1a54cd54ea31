using ClusterD.Cli.Rendering;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Files;
using ClusterD.ResourceManager.Status;

namespace ClusterD.Cli.Commands;

/// <summary>
/// Reads a resource configuration file for the offline verbs (<c>configure</c>, <c>simulate</c>): crm
/// shell syntax or a Pacemaker CIB, told apart by content. Warnings and errors go to stderr as
/// <c>file:line:column: message</c>; nothing is returned from a file with any error.
/// </summary>
internal static class ConfigurationFile
{
    /// <summary>True when the file starts like XML: a CIB.</summary>
    public static bool IsCib(string text) => ConfigText.IsCib(text);

    /// <param name="status">A CIB's status section when <paramref name="includeStatus"/> and the file is a CIB; else null.</param>
    public static bool TryRead(string path, bool includeStatus, IConsoleOutput output, string verb, out ClusterConfig config, out ClusterStatus? status) =>
        TryReadInterruptible(path, includeStatus, output, verb, CancellationToken.None, out config, out status);

    /// <summary>As <see cref="TryRead"/>; parsing throws <see cref="OperationCanceledException"/> once the token is cancelled.</summary>
    public static bool TryReadInterruptible(
        string path, bool includeStatus, IConsoleOutput output, string verb, CancellationToken cancellationToken, out ClusterConfig config, out ClusterStatus? status)
    {
        config = ClusterConfig.Empty;
        status = null;
        if (!TryReadText(path, output, verb, out var text))
        {
            return false;
        }

        if (IsCib(text))
        {
            var imported = CibImporter.ImportInterruptible(text, path, includeStatus, cancellationToken);
            if (!Report(output, verb, imported.Errors, imported.Warnings))
            {
                return false;
            }

            config = imported.Config!;
            status = imported.Status;
            return true;
        }

        var parsed = CrmParser.ParseInterruptible(text, path, cancellationToken);
        if (!Report(output, verb, parsed.Errors, parsed.Warnings))
        {
            return false;
        }

        config = parsed.Config!;
        return true;
    }

    /// <summary>
    /// The file's text: a regular file of at most <see cref="InputFileKind.Configuration"/>'s limit
    /// (see <see cref="BoundedFile"/>); anything else is reported as a diagnostic naming the file.
    /// </summary>
    public static bool TryReadText(string path, IConsoleOutput output, string verb, out string text) =>
        BoundedFile.TryReadText(path, InputFileKind.Configuration, out text, out var error)
        || Report(output, verb, [new ConfigDiagnostic(path, 0, 0, error)], []);

    /// <summary>Writes warnings and errors as <c>file:line:column: message</c>; true when there is no error.</summary>
    public static bool Report(IConsoleOutput output, string verb, IEnumerable<ConfigDiagnostic> errors, IEnumerable<ConfigDiagnostic> warnings)
    {
        foreach (var warning in warnings)
        {
            output.WriteError($"clusterctl: {verb}: warning: {warning}");
        }

        var ok = true;
        foreach (var error in errors)
        {
            output.WriteError($"clusterctl: {verb}: {error}");
            ok = false;
        }

        return ok;
    }
}
