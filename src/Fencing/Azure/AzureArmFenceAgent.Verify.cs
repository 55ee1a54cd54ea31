using System.Text.Json;
using Azure.Core;

namespace ClusterD.Fencing.Azure;

/// <summary>The device test: everything a fence needs, checked without powering anything off.</summary>
public sealed partial class AzureArmFenceAgent
{
    /// <summary>
    /// Checks, in order and stopping at the first that makes the rest meaningless: the parameters; the
    /// subscription and resource group (configured or from the instance metadata); a token for Resource
    /// Manager; the VM (its instance view, as <c>status</c> reads it); the identity's permissions on the VM
    /// against the minimal role (through <c>Microsoft.Authorization/permissions</c>, unverified when the
    /// identity may not read them); and the VM in the resource group's list (what a dynamic host list
    /// sees). Only reads: no power call is ever made. Bounded by <see cref="FenceRequest.Timeout"/>.
    /// </summary>
    public async Task<IReadOnlyList<FenceCheck>> VerifyAsync(FenceRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var checks = new List<FenceCheck>();
        if (!AzureFenceSettings.TryRead(request.Parameters, out var settings, out var error))
        {
            checks.Add(new FenceCheck("parameters", FenceCheckResult.Failed, error));
            return checks;
        }

        var vm = request.Plug ?? Param(request, "plug") ?? Param(request, "port");
        if (vm is null || !AzureFenceSettings.IsSafeName(vm))
        {
            checks.Add(new FenceCheck("parameters", FenceCheckResult.Failed, vm is null ? "no VM named (plug)" : $"'{AzureFenceSettings.Bounded(vm)}' is not an Azure VM name"));
            return checks;
        }

        var cloud = settings.Cloud?.Name ?? $"stack at {settings.StackMetadataEndpoint}";
        checks.Add(new FenceCheck("parameters", FenceCheckResult.Passed, $"cloud {cloud}, {AzureCredentials.Describe(settings)}, VM '{vm}'"));
        using var deadline = new CancellationTokenSource(request.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, ct);
        try
        {
            using var session = await AzureSession.OpenAsync(settings, _options, _time, _logger, linked.Token).ConfigureAwait(false);
            checks.Add(new FenceCheck("target", FenceCheckResult.Passed, $"{session.Target} ({session.TargetSource})"));
            var token = await session.Credential.GetTokenAsync(new TokenRequestContext([session.Scope], isCaeEnabled: true), linked.Token).ConfigureAwait(false);
            checks.Add(new FenceCheck("token", FenceCheckResult.Passed,
                $"{session.Identity} got a token for {session.Scope} (valid until {token.ExpiresOn.UtcDateTime:yyyy-MM-dd HH:mm} UTC)"));

            var (state, failure) = await PowerStateAsync(session, vm, linked.Token).ConfigureAwait(false);
            if (failure is not null)
            {
                checks.Add(new FenceCheck("vm", FenceCheckResult.Failed, failure));
                return checks;
            }

            checks.Add(new FenceCheck("vm", FenceCheckResult.Passed, $"VM '{vm}' found, power state {state ?? "unknown"}"));
            checks.Add(await RoleCheckAsync(session, vm, linked.Token).ConfigureAwait(false));
            var (names, listFailure) = await VirtualMachinesAsync(session, linked.Token).ConfigureAwait(false);
            checks.Add(listFailure is not null
                ? new FenceCheck("list", FenceCheckResult.Failed, listFailure)
                : names.Contains(vm, StringComparer.OrdinalIgnoreCase)
                    ? new FenceCheck("list", FenceCheckResult.Passed, $"VM '{vm}' is among the {names.Count} VM(s) of {session.Target}")
                    : new FenceCheck("list", FenceCheckResult.Failed, $"VM '{vm}' is not in the list of {session.Target}"));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            checks.Add(new FenceCheck("time", FenceCheckResult.Failed, $"not done within {(long)request.Timeout.TotalSeconds} s"));
        }
        catch (Exception e) when (Describe(e, settings) is { } reason)
        {
            checks.Add(new FenceCheck("token", FenceCheckResult.Failed, reason));
        }

        return checks;
    }

    private static async Task<FenceCheck> RoleCheckAsync(AzureSession session, string vm, CancellationToken ct)
    {
        var path = $"{session.Target.VirtualMachine(vm)}/providers/Microsoft.Authorization/permissions?api-version={AzureApiVersions.Permissions}";
        var reply = await session.Arm.SendAsync(RequestMethod.Get, path, ct).ConfigureAwait(false);
        if (!reply.IsSuccess || reply.Body is not { ValueKind: JsonValueKind.Object } body
            || !body.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Array)
        {
            return new FenceCheck("role", FenceCheckResult.Unverified,
                $"the identity's permissions on VM '{vm}' could not be read ({reply.Status}{(reply.ErrorCode is null ? "" : " " + reply.ErrorCode)}; "
                + $"needs {ArmOperation.Permissions.Permission}); the role must allow {AzurePermissions.MinimalRoleText}");
        }

        var required = new[] { AzurePermissions.VirtualMachineRead, AzurePermissions.PowerOff, AzurePermissions.Start };
        var missing = required.Where(action => !Granted(value, action)).ToArray();
        return missing.Length == 0
            ? new FenceCheck("role", FenceCheckResult.Passed, $"allowed on VM '{vm}': {string.Join(", ", required)}")
            : new FenceCheck("role", FenceCheckResult.Failed, $"missing on VM '{vm}': {string.Join(", ", missing)} (the fencing role: {AzurePermissions.MinimalRoleText})");
    }

    /// <summary>ARM's effective permissions: an action is allowed when one entry's actions match it and none of that entry's notActions do.</summary>
    private static bool Granted(JsonElement entries, string action)
    {
        foreach (var entry in entries.EnumerateArray())
        {
            if (entry.ValueKind == JsonValueKind.Object && Matches(entry, "actions", action) && !Matches(entry, "notActions", action))
            {
                return true;
            }
        }

        return false;

        static bool Matches(JsonElement entry, string name, string action) =>
            entry.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array
            && list.EnumerateArray().Any(p => p.ValueKind == JsonValueKind.String && AzurePermissions.Grants(p.GetString()!, action));
    }
}
