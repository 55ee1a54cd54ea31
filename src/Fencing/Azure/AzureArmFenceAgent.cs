using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Identity;
using ClusterD.Fencing.Scripts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClusterD.Fencing.Azure;

/// <summary>
/// The built-in Azure fence agent (<c>stonith:fence_azure_arm</c>, and <c>stonith:external/azure</c>
/// mapped onto it): Resource Manager REST calls with one pinned api-version each, a token from
/// Azure.Identity, Azure.Core's pipeline for retries and <c>Retry-After</c>.
/// <list type="bullet">
/// <item><c>off</c>: <c>powerOff?skipShutdown=true</c>, then the instance view is read every
/// <c>stonith_status_sleep</c> until <c>PowerState/stopped</c> or <c>deallocated</c>; only that is success.
/// Never <c>restart</c> (Azure has queued restarts for many minutes) nor <c>deallocate</c> (slow).</item>
/// <item><c>reboot</c>: the off above, and the power-on is left for later
/// (<see cref="FenceResult.PowerOnDeferred"/>): failover never waits for the victim to boot; the
/// fencer's <see cref="Fencer.PowerOnAsync"/> starts it once the cluster has recovered.</item>
/// <item><c>on</c>: <c>start</c>, then wait for <c>PowerState/running</c>. <c>status</c>: exit 0 on, 2 off.
/// <c>list</c>: the resource group's VMs. <c>monitor</c>: a token and the list.</item>
/// </list>
/// </summary>
/// <remarks>
/// Every run is bounded by its <see cref="FenceRequest.Timeout"/> (token, retries, polling together), and
/// the wait for a power state also by <c>power_timeout</c>. Failures are results naming what to fix
/// (the role's missing action on 401/403, the VM and resource group on 404), never exceptions.
/// </remarks>
public sealed partial class AzureArmFenceAgent : IFenceAgent
{
    /// <summary>The agent type it is registered under.</summary>
    public const string AgentType = "fence_azure_arm";

    /// <summary>The cluster-glue plugin type of the seed's configuration, run by this agent.</summary>
    public const string ExternalAzureType = "external/azure";

    private readonly TimeProvider _time;
    private readonly AzureAgentOptions _options;
    private readonly ILogger _logger;

    public AzureArmFenceAgent(TimeProvider time, AzureAgentOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _options = options ?? new AzureAgentOptions();
        _logger = logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public async Task<FenceResult> RunAsync(FenceRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Action == FenceAction.Metadata)
        {
            return new FenceResult(true, FenceExitCodes.Success, null, AzureAgentMetadata.Xml);
        }

        var transcript = new AzureTranscript();
        if (!AzureFenceSettings.TryRead(request.Parameters, out var settings, out var error))
        {
            return Failed(error, transcript);
        }

        var plug = request.Plug ?? Param(request, "plug") ?? Param(request, "port");
        if (request.Action is not (FenceAction.List or FenceAction.Monitor))
        {
            if (plug is null)
            {
                return Failed("no VM named: the plug (the node's pcmk_host_map entry or the node name) is missing", transcript);
            }

            if (!AzureFenceSettings.IsSafeName(plug))
            {
                return Failed($"'{AzureFenceSettings.Bounded(plug)}' is not an Azure VM name", transcript);
            }
        }

        var started = _time.GetTimestamp();
        using var deadline = new CancellationTokenSource(request.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, ct);
        FenceResult result;
        try
        {
            transcript.Doing = "setting up (credentials, cloud endpoints, instance metadata)";
            using var session = await AzureSession.OpenAsync(settings, _options, _time, _logger, linked.Token).ConfigureAwait(false);
            transcript.Line($"{session.Target} ({session.TargetSource}), identity: {session.Identity}");

            // Asked first so a credential problem is named as one; asked as the bearer policy asks (CAE on), so it reuses this token.
            transcript.Doing = $"getting a token for {session.Identity}";
            await session.Credential.GetTokenAsync(new TokenRequestContext([session.Scope], isCaeEnabled: true), linked.Token).ConfigureAwait(false);
            result = request.Action switch
            {
                FenceAction.Off => await OffAsync(session, settings, plug!, transcript, linked.Token).ConfigureAwait(false),
                FenceAction.Reboot => await RebootAsync(session, settings, plug!, transcript, linked.Token).ConfigureAwait(false),
                FenceAction.On => await OnAsync(session, settings, plug!, transcript, linked.Token).ConfigureAwait(false),
                FenceAction.Status => await StatusAsync(session, plug!, transcript, linked.Token).ConfigureAwait(false),
                _ => await ListAsync(session, request.Action, transcript, linked.Token).ConfigureAwait(false),
            };
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            var ms = ((long)_time.GetElapsedTime(started).TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
            result = new FenceResult(false, FenceExitCodes.NotRun, $"timed out after {ms} ms while {transcript.Doing}", transcript.ToString());
        }
        catch (Exception e) when (Describe(e, settings) is { } reason)
        {
            result = Failed(reason, transcript);
        }

        FencingLog.AgentFinished(_logger, AgentType, FenceActionNames.ToAgentName(request.Action), plug ?? "", result.ExitCode, result.Succeeded,
            (long)_time.GetElapsedTime(started).TotalMilliseconds);
        return result;
    }

    private async Task<FenceResult> OffAsync(AzureSession session, AzureFenceSettings settings, string vm, AzureTranscript transcript, CancellationToken ct)
    {
        transcript.Doing = $"reading the power state of VM '{vm}'";
        var (state, failure) = await PowerStateAsync(session, vm, ct).ConfigureAwait(false);
        if (failure is not null)
        {
            return Failed(failure, transcript);
        }

        if (AzurePowerState.IsOff(state))
        {
            transcript.Line($"VM '{vm}' is already {state}");
            return Succeeded(transcript);
        }

        transcript.Doing = $"powering off VM '{vm}'";
        var path = $"{session.Target.VirtualMachine(vm)}/powerOff?skipShutdown=true&api-version={AzureApiVersions.PowerOff}";
        var reply = await session.Arm.SendAsync(RequestMethod.Post, path, ct).ConfigureAwait(false);
        if (!reply.IsSuccess)
        {
            return Failed(ArmErrors.Describe(ArmOperation.PowerOff, reply, session.Target, vm), transcript);
        }

        transcript.Line($"powerOff of VM '{vm}' (skipShutdown) accepted ({reply.Status}; {reply.Ids}); was {state ?? "unknown"}");
        return await WaitForAsync(session, settings, vm, AzurePowerState.IsOff, "stopped", transcript, ct).ConfigureAwait(false);
    }

    private async Task<FenceResult> RebootAsync(AzureSession session, AzureFenceSettings settings, string vm, AzureTranscript transcript, CancellationToken ct)
    {
        var off = await OffAsync(session, settings, vm, transcript, ct).ConfigureAwait(false);
        if (!off.Succeeded)
        {
            return off;
        }

        transcript.Line($"power-on of VM '{vm}' deferred until the cluster has recovered");
        return off with { PowerOnDeferred = true, Output = transcript.ToString() };
    }

    private async Task<FenceResult> OnAsync(AzureSession session, AzureFenceSettings settings, string vm, AzureTranscript transcript, CancellationToken ct)
    {
        transcript.Doing = $"starting VM '{vm}'";
        var path = $"{session.Target.VirtualMachine(vm)}/start?api-version={AzureApiVersions.Start}";
        var reply = await session.Arm.SendAsync(RequestMethod.Post, path, ct).ConfigureAwait(false);
        if (!reply.IsSuccess)
        {
            return Failed(ArmErrors.Describe(ArmOperation.Start, reply, session.Target, vm), transcript);
        }

        transcript.Line($"start of VM '{vm}' accepted ({reply.Status}; {reply.Ids})");
        return await WaitForAsync(session, settings, vm, AzurePowerState.IsRunning, "running", transcript, ct).ConfigureAwait(false);
    }

    private static async Task<FenceResult> StatusAsync(AzureSession session, string vm, AzureTranscript transcript, CancellationToken ct)
    {
        transcript.Doing = $"reading the power state of VM '{vm}'";
        var (state, failure) = await PowerStateAsync(session, vm, ct).ConfigureAwait(false);
        if (failure is not null)
        {
            return Failed(failure, transcript);
        }

        if (state is null)
        {
            return Failed($"VM '{vm}' has no power state in its instance view", transcript);
        }

        // As fence_azure_arm: only stopped and deallocated are off; a VM on its way anywhere may still run.
        var off = AzurePowerState.IsOff(state);
        transcript.Line($"VM '{vm}' is {state}: {(off ? "off" : "on")}");
        return new FenceResult(true, off ? FenceExitCodes.StatusOff : FenceExitCodes.Success, null, transcript.ToString());
    }

    private async Task<FenceResult> WaitForAsync(
        AzureSession session, AzureFenceSettings settings, string vm, Func<string?, bool> reached, string goal, AzureTranscript transcript, CancellationToken ct)
    {
        using var power = new CancellationTokenSource(settings.PowerTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(power.Token, ct);
        var reads = 0;
        string? state = null;
        try
        {
            while (true)
            {
                transcript.Doing = $"waiting for VM '{vm}' to be {goal} (still {state ?? "unknown"} after {reads} status read(s))";
                await Task.Delay(settings.PollInterval, _time, linked.Token).ConfigureAwait(false);
                (state, var failure) = await PowerStateAsync(session, vm, linked.Token).ConfigureAwait(false);
                reads++;
                if (failure is not null)
                {
                    return Failed(failure, transcript);
                }

                if (reached(state))
                {
                    transcript.Line($"VM '{vm}' is {state} (after {reads} status read(s))");
                    return Succeeded(transcript);
                }
            }
        }
        catch (OperationCanceledException) when (power.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return Failed($"VM '{vm}' not {goal} within power_timeout ({(long)settings.PowerTimeout.TotalSeconds} s): still {state ?? "unknown"} after {reads} status read(s)", transcript);
        }
        catch (OperationCanceledException)
        {
            transcript.Doing = $"waiting for VM '{vm}' to be {goal} (still {state ?? "unknown"} after {reads} status read(s))";
            throw;
        }
    }

    private static async Task<(string? State, string? Failure)> PowerStateAsync(AzureSession session, string vm, CancellationToken ct)
    {
        var path = $"{session.Target.VirtualMachine(vm)}/instanceView?api-version={AzureApiVersions.InstanceView}";
        var reply = await session.Arm.SendAsync(RequestMethod.Get, path, ct).ConfigureAwait(false);
        return reply.IsSuccess
            ? (AzurePowerState.From(reply.Body), null)
            : (null, ArmErrors.Describe(ArmOperation.InstanceView, reply, session.Target, vm));
    }

    private static string? Param(FenceRequest request, string name) =>
        request.Parameters.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    /// <summary>The message for a failure outside Resource Manager's answers; null for what is not ours to catch.</summary>
    private static string? Describe(Exception e, AzureFenceSettings settings) => e switch
    {
        AzureCredentialException or AzureSessionException => e.Message,
        AuthenticationFailedException or CredentialUnavailableException =>
            $"no token for {AzureCredentials.Describe(settings)}: {AzureFenceSettings.Bounded(FirstLine(e.Message), 300)}",
        RequestFailedException => $"Azure not reachable: {AzureFenceSettings.Bounded(FirstLine(e.Message), 300)}",
        InvalidDataException => $"unusable answer: {e.Message}",
        HttpRequestException => $"Azure not reachable: {AzureFenceSettings.Bounded(FirstLine(e.Message), 300)}",
        _ => null,
    };

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    private static FenceResult Succeeded(AzureTranscript transcript) => new(true, FenceExitCodes.Success, null, transcript.ToString());

    private static FenceResult Failed(string reason, AzureTranscript transcript)
    {
        transcript.Line("ERROR: " + reason);
        return new FenceResult(false, FenceExitCodes.Error, reason, transcript.ToString());
    }
}
