using ClusterD.ResourceManager.Configuration;

namespace ClusterD.Cli.Rendering;

/// <summary>What <c>clusterctl configure validate FILE --json</c> prints.</summary>
internal sealed record ValidateView(string File, bool Valid, IReadOnlyList<DiagnosticView> Errors, IReadOnlyList<DiagnosticView> Warnings)
{
    public static ValidateView From(string file, IEnumerable<ConfigDiagnostic> errors, IEnumerable<ConfigDiagnostic> warnings)
    {
        var errorViews = errors.Select(DiagnosticView.From).ToArray();
        return new ValidateView(file, errorViews.Length == 0, errorViews, [.. warnings.Select(DiagnosticView.From)]);
    }
}

/// <summary>One error or warning with its place in the file.</summary>
internal sealed record DiagnosticView(string File, int Line, int Column, string Message)
{
    public static DiagnosticView From(ConfigDiagnostic d) => new(d.File, d.Line, d.Column, d.Message);
}
