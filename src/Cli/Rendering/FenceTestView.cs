using System.Text;
using ClusterD.Fencing;

namespace ClusterD.Cli.Rendering;

/// <summary>What <c>clusterctl fence test NODE</c> verified, per device; <c>--json</c> prints it as is.</summary>
/// <param name="Ready">At least one device can fence the node and none of its checks failed.</param>
internal sealed record FenceTestView(string Node, bool Ready, IReadOnlyList<FenceTestDeviceView> Devices, IReadOnlyList<string> Warnings)
{
    public string ToText()
    {
        var s = new StringBuilder();
        foreach (var warning in Warnings)
        {
            s.Append("warning: ").AppendLine(warning);
        }

        foreach (var device in Devices)
        {
            s.AppendLine($"{device.Device} ({device.Agent}), {Node} as '{device.Plug}':");
            foreach (var check in device.Checks)
            {
                s.AppendLine($"  {Word(check.Result),-10} {check.Name,-10} {check.Detail}");
            }
        }

        s.Append(Ready
            ? $"{Node} can be fenced (nothing was powered off)"
            : $"{Node} cannot be fenced as configured (nothing was powered off)");
        return s.ToString();
    }

    private static string Word(string result) => result switch
    {
        "passed" => "ok",
        "failed" => "FAILED",
        _ => "unverified",
    };
}

/// <summary>One device's checks for the node.</summary>
internal sealed record FenceTestDeviceView(string Device, string Agent, string Plug, bool Ready, IReadOnlyList<FenceTestCheckView> Checks);

/// <summary>One check: <c>passed</c>, <c>failed</c> or <c>unverified</c>.</summary>
internal sealed record FenceTestCheckView(string Name, string Result, string Detail)
{
    public static FenceTestCheckView From(FenceCheck check) => new(check.Name, check.Result switch
    {
        FenceCheckResult.Passed => "passed",
        FenceCheckResult.Failed => "failed",
        _ => "unverified",
    }, check.Detail);
}
