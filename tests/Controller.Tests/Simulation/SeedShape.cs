using ClusterD.ResourceManager.Configuration;

namespace ClusterD.Controller.Tests.Simulation;

/// <summary>The seed's resource shape with test agents: a promotable clone, a group of three after it, a fence device.</summary>
internal static class SeedShape
{
    public static readonly string Crm = TestKit.Resources.SeedShape.Crm(nodes: "hadb01 hadb02");

    public static ClusterConfig Config() => Config(Crm);

    public static ClusterConfig Config(string crm) => CrmParser.Parse(crm).GetConfigOrThrow() with { Version = new ConfigVersion(0, 1) };
}
