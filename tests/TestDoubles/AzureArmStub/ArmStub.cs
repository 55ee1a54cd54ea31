using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClusterD.AzureArmStub;

/// <summary>
/// A local HTTPS endpoint on 127.0.0.1 speaking the parts of Azure the fence agent uses: the managed
/// identity token endpoint and instance metadata (as IMDS answers them), the identity authority's
/// client-credentials token endpoint, and Resource Manager's VM instance view, powerOff, start, list and
/// permissions. VMs change power state as Azure's do, optionally only after some status reads; any
/// operation can be told to fail with a status (401, 403, 404, 429 with Retry-After, 500) a number of
/// times. Every request is recorded. Its certificate is signed by an authority only the tests trust
/// (<see cref="CaBundle"/>).
/// </summary>
public sealed partial class ArmStub : IAsyncDisposable
{
    public const string Subscription = "11111111-2222-3333-4444-555555555555";
    public const string ResourceGroup = "rg-ha";
    public const string Tenant = "tenant-1";
    public const string ClientId = "app-1";

    /// <summary>The token audience the stub's Azure Stack endpoints name.</summary>
    public const string StackAudience = "https://management.stack.example/";

    private readonly WebApplication _app;
    private readonly StubCertificates _certificates;
    private readonly object _gate = new();
    private readonly List<StubCall> _calls = [];
    private readonly Dictionary<string, StubVm> _vms = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<StubFault> _faults = [];

    // Azure.Identity keeps managed identity tokens in a process-wide cache (as on a VM, where there is one
    // identity endpoint), so a token one stub issued is presented to the next: the stubs share what they issued.
    private static readonly Dictionary<string, DateTimeOffset> Tokens = [];
    private static int _issued;

    private ArmStub(WebApplication app, StubCertificates certificates, string caBundle)
    {
        _app = app;
        _certificates = certificates;
        CaBundle = caBundle;
    }

    /// <summary>https://127.0.0.1:PORT/</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>A PEM file with the authority that signed the stub's certificate.</summary>
    public string CaBundle { get; }

    /// <summary>How many instance view reads a VM spends in stopping (or starting) before it is stopped (running).</summary>
    public int TransitionReads { get; set; }

    /// <summary>A VM told to power off stays in stopping for ever.</summary>
    public bool NeverStops { get; set; }

    /// <summary>How long a token it issues is accepted (and what it says its lifetime is); expired tokens get 401 ExpiredAuthenticationToken.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The client secret the token endpoint accepts for <see cref="ClientId"/>.</summary>
    public string ClientSecret { get; set; } = "s3cret";

    /// <summary>What the permissions call answers as allowed actions.</summary>
    public IReadOnlyList<string> Permissions { get; set; } =
        ["Microsoft.Compute/*/read", "Microsoft.Compute/virtualMachines/powerOff/action", "Microsoft.Compute/virtualMachines/start/action"];

    public static async Task<ArmStub> StartAsync(string directory, CancellationToken ct)
    {
        var certificates = new StubCertificates();
        var bundle = Path.Combine(directory, "stub-ca.pem");
        await File.WriteAllTextAsync(bundle, certificates.AuthorityPem, ct);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificates.Server)));
        var app = builder.Build();
        var stub = new ArmStub(app, certificates, bundle);
        app.Run(stub.HandleAsync);
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        stub.BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
        return stub;
    }

    /// <summary>Every request so far, in arrival order.</summary>
    public IReadOnlyList<StubCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>The calls of one operation (<c>token</c>, <c>imds</c>, <c>instanceView</c>, <c>powerOff</c>, <c>start</c>, <c>list</c>, ...).</summary>
    public IReadOnlyList<StubCall> CallsOf(string operation) => [.. Calls.Where(c => c.Operation == operation)];

    public void AddVm(string name, string state = "running")
    {
        lock (_gate)
        {
            _vms[name] = new StubVm(state);
        }
    }

    public string? PowerState(string name)
    {
        lock (_gate)
        {
            return _vms.TryGetValue(name, out var vm) ? vm.State : null;
        }
    }

    /// <summary>The next <paramref name="times"/> calls of <paramref name="operation"/> answer <paramref name="status"/>.</summary>
    public void Fail(string operation, int status, int times = int.MaxValue, string? code = null, string? retryAfter = null)
    {
        lock (_gate)
        {
            _faults.Add(new StubFault(operation, status, code, retryAfter) { Remaining = times });
        }
    }

    /// <summary>Device parameters that point the agent at this stub (every endpoint, the CA bundle).</summary>
    public Dictionary<string, string> Parameters(bool withTarget = true)
    {
        var p = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["arm_endpoint"] = BaseAddress.ToString(),
            ["login_endpoint"] = BaseAddress.ToString(),
            ["identity_endpoint"] = BaseAddress.ToString(),
            ["imds_endpoint"] = BaseAddress.ToString(),
            ["ca_bundle"] = CaBundle,
            ["stonith_status_sleep"] = "0.05",
        };
        if (withTarget)
        {
            p["subscriptionId"] = Subscription;
            p["resourceGroup"] = ResourceGroup;
        }

        return p;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        _certificates.Dispose();
    }

    private sealed class StubVm(string state)
    {
        public string State { get; set; } = state;

        public int ReadsLeft { get; set; }
    }

    private sealed record StubFault(string Operation, int Status, string? Code, string? RetryAfter)
    {
        public int Remaining { get; set; }
    }
}

/// <summary>One request the stub received.</summary>
/// <param name="Operation">What it was (<c>token</c>, <c>aadToken</c>, <c>imds</c>, <c>instanceView</c>, <c>powerOff</c>, <c>start</c>, <c>list</c>, <c>permissions</c>, or the path when unknown).</param>
/// <param name="Vm">The VM it was about, if any.</param>
/// <param name="At">When it arrived (UTC).</param>
public sealed record StubCall(
    string Operation, string Method, string Path, IReadOnlyDictionary<string, string> Query, string? Vm, bool Authorized,
    bool MetadataHeader, string? ClientRequestId, int Status, DateTimeOffset At)
{
    public string? ApiVersion => Query.GetValueOrDefault("api-version");

    public override string ToString() => $"{Method} {Path} {Status} ({Operation}{(Vm is null ? "" : " " + Vm)})";
}
