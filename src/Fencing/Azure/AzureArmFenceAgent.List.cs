using System.Text;
using System.Text.Json;
using Azure.Core;

namespace ClusterD.Fencing.Azure;

/// <summary><c>list</c> and <c>monitor</c>: the resource group's VMs, page by page.</summary>
public sealed partial class AzureArmFenceAgent
{
    /// <summary>Most list pages followed (ARM pages hold up to 1000 VMs).</summary>
    public const int MaxListPages = 20;

    private static async Task<FenceResult> ListAsync(AzureSession session, FenceAction action, AzureTranscript transcript, CancellationToken ct)
    {
        transcript.Doing = $"listing the VMs of {session.Target}";
        var (names, failure) = await VirtualMachinesAsync(session, ct).ConfigureAwait(false);
        if (failure is not null)
        {
            return Failed(failure, transcript);
        }

        if (action == FenceAction.Monitor)
        {
            transcript.Line($"token and read access to {session.Target}: {names.Count} VM(s)");
            return Succeeded(transcript);
        }

        // fence-agents' list format: one "plug,alias" line per plug.
        var output = new StringBuilder();
        foreach (var name in names)
        {
            output.Append(name).Append(",\n");
        }

        return new FenceResult(true, FenceExitCodes.Success, null, output.ToString());
    }

    /// <summary>The names of the resource group's VMs.</summary>
    private static async Task<(List<string> Names, string? Failure)> VirtualMachinesAsync(AzureSession session, CancellationToken ct)
    {
        var names = new List<string>();
        var reply = await session.Arm.SendAsync(RequestMethod.Get, $"{session.Target.VirtualMachines}?api-version={AzureApiVersions.List}", ct).ConfigureAwait(false);
        for (var page = 1; ; page++)
        {
            if (!reply.IsSuccess)
            {
                return (names, ArmErrors.Describe(ArmOperation.List, reply, session.Target, null));
            }

            if (reply.Body is not { ValueKind: JsonValueKind.Object } body || !body.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Array)
            {
                return (names, $"the VM list of {session.Target} has no value array ({reply.Ids})");
            }

            foreach (var vm in value.EnumerateArray())
            {
                if (vm.ValueKind == JsonValueKind.Object && vm.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
                    && name.GetString() is { } text && AzureFenceSettings.IsSafeName(text))
                {
                    names.Add(text);
                }
            }

            if (!body.TryGetProperty("nextLink", out var next) || next.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(next.GetString()))
            {
                return (names, null);
            }

            if (page == MaxListPages || !Uri.TryCreate(next.GetString(), UriKind.Absolute, out var link))
            {
                return (names, $"the VM list of {session.Target} has more than {MaxListPages} pages or a bad next page link");
            }

            reply = await session.Arm.SendToAsync(link, ct).ConfigureAwait(false);
        }
    }
}
