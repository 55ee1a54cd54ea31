using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using ClusterD.ResourceManager.Status;

namespace ClusterD.ResourceManager.Configuration;

/// <summary>
/// The outcome of importing a CIB: the configuration and (when the CIB has a <c>status</c> section
/// and it was asked for) the status, both only when there is no error; plus every error and warning.
/// </summary>
public sealed record CibImportResult(
    ClusterConfig? Config,
    ClusterStatus? Status,
    ImmutableArray<ConfigDiagnostic> Errors,
    ImmutableArray<ConfigDiagnostic> Warnings)
{
    [MemberNotNullWhen(true, nameof(Config))]
    public bool Succeeded => Config is not null && Errors.IsEmpty;
}
