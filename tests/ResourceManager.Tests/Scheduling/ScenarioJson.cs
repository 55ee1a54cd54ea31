using System.Text;
using System.Text.Json;
using ClusterD.ResourceManager.Configuration;
using ClusterD.ResourceManager.Scheduling;

namespace ClusterD.ResourceManager.Tests.Scheduling;

/// <summary>An action as <c>simulate --json</c> prints it.</summary>
internal sealed record JsonAction(string Id, string Op, string Resource, string Node, IReadOnlyList<string> After);

/// <summary>The <c>simulate --json</c> shape: <c>{ placement: [{resource,node,role}], actions: [{id,op,resource,node,after}] }</c>.</summary>
internal sealed record ScenarioJson(IReadOnlyList<PlacedInstance> Placement, IReadOnlyList<JsonAction> Actions)
{
    public static ScenarioJson From(TransitionGraph graph) => new(
        graph.Placement,
        [.. graph.Ordered().Select(a => new JsonAction(a.Id, a.OpName, a.Resource, a.Node, graph.After(a.Id)))]);

    public static ScenarioJson Read(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        var placement = root.GetProperty("placement").EnumerateArray().Select(p => new PlacedInstance(
            p.GetProperty("resource").GetString()!,
            p.GetProperty("node").GetString()!,
            ResourceRoles.TryParse(p.GetProperty("role").GetString(), out var role) ? role : throw new InvalidDataException(path + ": bad role"))).ToList();
        var actions = root.GetProperty("actions").EnumerateArray().Select(a => new JsonAction(
            a.GetProperty("id").GetString()!,
            a.GetProperty("op").GetString()!,
            a.GetProperty("resource").GetString()!,
            a.GetProperty("node").GetString()!,
            [.. a.GetProperty("after").EnumerateArray().Select(x => x.GetString()!)])).ToList();
        return new ScenarioJson(placement, actions);
    }

    public string Write()
    {
        var sb = new StringBuilder();
        sb.Append("{\n  \"placement\": [");
        sb.AppendJoin(",", Placement.Select(p => $"\n    {{ \"resource\": {Q(p.Resource)}, \"node\": {Q(p.Node)}, \"role\": {Q(ResourceRoles.Name(p.Role))} }}"));
        sb.Append(Placement.Count > 0 ? "\n  ],\n  \"actions\": [" : "],\n  \"actions\": [");
        sb.AppendJoin(",", Actions.Select(a =>
            $"\n    {{ \"id\": {Q(a.Id)}, \"op\": {Q(a.Op)}, \"resource\": {Q(a.Resource)}, \"node\": {Q(a.Node)}, \"after\": [{string.Join(", ", a.After.Select(Q))}] }}"));
        sb.Append(Actions.Count > 0 ? "\n  ]\n}\n" : "]\n}\n");
        return sb.ToString();
    }

    private static string Q(string s) => JsonSerializer.Serialize(s, ScenarioJsonContext.Default.String);
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class ScenarioJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
