namespace ClusterD.Membership.Configuration;

/// <summary>One <c>name { ... }</c> block of a corosync.conf-style file, in file order.</summary>
public sealed record ConfSection(string Name, int Line, IReadOnlyList<ConfEntry> Entries, IReadOnlyList<ConfSection> Sections)
{
    public IEnumerable<ConfSection> SectionsNamed(string name) => Sections.Where(s => s.Name == name);
}

/// <summary>One <c>key: value</c> line.</summary>
public sealed record ConfEntry(string Key, string Value, int Line);
