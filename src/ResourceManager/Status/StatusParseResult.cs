using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using ClusterD.ResourceManager.Configuration;

namespace ClusterD.ResourceManager.Status;

/// <summary>A status read from JSON: the status, or the errors (with JSON path, and line/column where known).</summary>
public sealed record StatusParseResult(ClusterStatus? Status, ImmutableArray<ConfigDiagnostic> Errors)
{
    [MemberNotNullWhen(true, nameof(Status))]
    public bool Succeeded => Status is not null && Errors.IsEmpty;
}
