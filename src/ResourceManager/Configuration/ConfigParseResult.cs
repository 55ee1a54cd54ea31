using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace ClusterD.ResourceManager.Configuration;

/// <summary>
/// The outcome of reading a configuration: the configuration only when there is no error at all
/// (a file is applied whole or not at all), plus every error and warning found in the whole file.
/// </summary>
public sealed record ConfigParseResult(
    ClusterConfig? Config,
    ImmutableArray<ConfigDiagnostic> Errors,
    ImmutableArray<ConfigDiagnostic> Warnings)
{
    [MemberNotNullWhen(true, nameof(Config))]
    public bool Succeeded => Config is not null && Errors.IsEmpty;

    /// <summary>The configuration, or an exception listing every error.</summary>
    public ClusterConfig GetConfigOrThrow() =>
        Succeeded ? Config : throw new InvalidDataException(string.Join(Environment.NewLine, Errors));
}
