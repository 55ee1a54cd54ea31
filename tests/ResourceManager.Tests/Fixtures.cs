namespace ClusterD.ResourceManager.Tests;

/// <summary>The fixture files copied next to the test assembly.</summary>
internal static class Fixtures
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "Configuration", "Cases");

    public static string Crm(string name) => Path.Combine(Root, "crm", name);

    public static string Cib(string name) => Path.Combine(Root, "cib", name);

    public static IEnumerable<string> CrmNames => Directory.GetFiles(Path.Combine(Root, "crm"), "*.conf").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public static IEnumerable<string> CibNames => Directory.GetFiles(Path.Combine(Root, "cib"), "*.xml").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;
}
