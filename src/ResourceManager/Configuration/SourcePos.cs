namespace ClusterD.ResourceManager.Configuration;

/// <summary>A 1-based line and column in a source file (0 when unknown).</summary>
internal readonly record struct SourcePos(int Line, int Column);

/// <summary>A <c>name=value</c> as read, with where the name and the value start.</summary>
internal readonly record struct SourceAttribute(string Name, string Value, SourcePos At, SourcePos ValueAt);
