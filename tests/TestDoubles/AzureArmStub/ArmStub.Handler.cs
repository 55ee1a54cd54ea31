using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ClusterD.AzureArmStub;

/// <summary>The stub's request handling: classify, apply a configured fault, check the token, then act as Azure does.</summary>
public sealed partial class ArmStub
{
    private const string VmPrefix = "/subscriptions/";

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (IsBlobRequest(request))
        {
            await HandleBlobAsync(context);
            return;
        }

        var path = request.Path.Value ?? "/";
        var query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        if (await TryScheduledEventsAsync(context, path, query))
        {
            return;
        }

        var (operation, sub, rg, vm) = Classify(request.Method, path);
        var presented = request.Headers.Authorization.ToString() is { } auth && auth.StartsWith("Bearer ", StringComparison.Ordinal)
            ? ExpiryOf(auth["Bearer ".Length..]) : null;
        var authorized = presented > DateTimeOffset.UtcNow;
        var expired = presented is not null && !authorized;
        var form = request.HasFormContentType ? await request.ReadFormAsync(context.RequestAborted) : null;
        int status;
        object? body;
        lock (_gate)
        {
            (status, body) = Answer(context, operation, sub, rg, vm, authorized, expired, request.Headers["Metadata"].ToString() == "true", form);
            _calls.Add(new StubCall(operation, request.Method, path, query, vm, authorized, request.Headers.ContainsKey("Metadata"),
                request.Headers["x-ms-client-request-id"].ToString() is { Length: > 0 } id ? id : null, status, DateTimeOffset.UtcNow));
        }

        context.Response.StatusCode = status;
        context.Response.Headers["x-ms-correlation-request-id"] = Guid.NewGuid().ToString();
        context.Response.Headers["x-ms-request-id"] = Guid.NewGuid().ToString();
        if (body is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body as string ?? JsonSerializer.Serialize(body), context.RequestAborted);
        }
    }

    private static (string Operation, string? Sub, string? Rg, string? Vm) Classify(string method, string path)
    {
        if (path == "/metadata/identity/oauth2/token")
        {
            return ("token", null, null, null);
        }

        if (path == "/metadata/instance")
        {
            return ("imds", null, null, null);
        }

        if (path == "/metadata/endpoints")
        {
            return ("stackEndpoints", null, null, null);
        }

        if (path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal) && method == "POST")
        {
            return ("aadToken", null, null, null);
        }

        if (path.EndsWith("/.well-known/openid-configuration", StringComparison.Ordinal))
        {
            return ("openid", null, null, null);
        }

        if (!path.StartsWith(VmPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return (path, null, null, null);
        }

        // /subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachines[/{vm}[/action...]]
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        if (parts.Length < 7 || !parts[5].Equals("Microsoft.Compute", StringComparison.OrdinalIgnoreCase)
            || !parts[6].Equals("virtualMachines", StringComparison.OrdinalIgnoreCase))
        {
            return (path, null, null, null);
        }

        var vm = parts.Length > 7 ? parts[7] : null;
        var operation = parts.Length switch
        {
            7 => "list",
            8 => "vm",
            9 => parts[8],
            11 when parts[10].Equals("permissions", StringComparison.OrdinalIgnoreCase) => "permissions",
            _ => path,
        };
        return (operation, parts[1], parts[3], vm);
    }

    private (int Status, object? Body) Answer(
        HttpContext context, string operation, string? sub, string? rg, string? vm, bool authorized, bool expired, bool metadata, IFormCollection? form)
    {
        var fault = _faults.FirstOrDefault(f => f.Operation == operation && f.Remaining > 0);
        if (fault is not null)
        {
            fault.Remaining--;
            if (fault.RetryAfter is { } after)
            {
                context.Response.Headers.RetryAfter = after;
            }

            return (fault.Status, Error(fault.Code ?? DefaultCode(fault.Status), $"stub fault {fault.Status} for {operation}"));
        }

        switch (operation)
        {
            case "token":
                return metadata ? (200, Token(includeResource: true)) : (400, Error("bad_request", "Required metadata header not specified"));
            case "imds":
                return metadata
                    ? (200, new Dictionary<string, object> { ["compute"] = new Dictionary<string, object> { ["subscriptionId"] = Subscription, ["resourceGroupName"] = ResourceGroup, ["name"] = "hadb01" } })
                    : (400, Error("bad_request", "Required metadata header not specified"));
            case "openid":
                var tenant = BaseAddress + Tenant;
                return (200, new Dictionary<string, object>
                {
                    ["token_endpoint"] = tenant + "/oauth2/v2.0/token",
                    ["authorization_endpoint"] = tenant + "/oauth2/v2.0/authorize",
                    ["issuer"] = tenant + "/v2.0",
                    ["jwks_uri"] = tenant + "/discovery/v2.0/keys",
                });
            case "stackEndpoints":
                return (200, new Dictionary<string, object>
                {
                    ["galleryEndpoint"] = BaseAddress.ToString(),
                    ["authentication"] = new Dictionary<string, object> { ["loginEndpoint"] = BaseAddress.ToString(), ["audiences"] = new[] { StackAudience } },
                });
            case "aadToken":
                return form is not null && form["grant_type"].ToString() == "client_credentials" && form["client_id"].ToString() == ClientId
                    && (form["client_secret"].ToString() == ClientSecret || IsAssertionFor(form["client_assertion"].ToString(), ClientId))
                    ? (200, Token(includeResource: false))
                    : (401, """{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."}""");
        }

        if (sub is null)
        {
            return (404, Error("NotFound", "no such route in the stub"));
        }

        if (expired)
        {
            return (401, Error("ExpiredAuthenticationToken", "The access token expiry UTC time is earlier than current UTC time."));
        }

        if (!authorized)
        {
            return (401, Error("InvalidAuthenticationToken", "The access token is invalid."));
        }

        if (!sub.Equals(Subscription, StringComparison.OrdinalIgnoreCase))
        {
            return (404, Error("SubscriptionNotFound", $"The subscription '{sub}' could not be found."));
        }

        if (!rg!.Equals(ResourceGroup, StringComparison.OrdinalIgnoreCase))
        {
            return (404, Error("ResourceGroupNotFound", $"Resource group '{rg}' could not be found."));
        }

        if (operation == "list")
        {
            return (200, new Dictionary<string, object> { ["value"] = _vms.Keys.Order().Select(n => new Dictionary<string, object> { ["name"] = n }).ToArray() });
        }

        if (vm is null || !_vms.TryGetValue(vm, out var machine))
        {
            return (404, Error("ResourceNotFound", $"The Resource 'Microsoft.Compute/virtualMachines/{vm}' under resource group '{rg}' was not found."));
        }

        switch (operation)
        {
            case "instanceView":
                Advance(machine);
                return (200, new Dictionary<string, object>
                {
                    ["statuses"] = new[]
                    {
                        new Dictionary<string, object> { ["code"] = "ProvisioningState/succeeded" },
                        new Dictionary<string, object> { ["code"] = "PowerState/" + machine.State },
                    },
                });
            case "powerOff":
                machine.State = TransitionReads == 0 && !NeverStops ? "stopped" : "stopping";
                machine.ReadsLeft = TransitionReads;
                return (202, null);
            case "start":
                machine.State = TransitionReads == 0 ? "running" : "starting";
                machine.ReadsLeft = TransitionReads;
                return (202, null);
            case "permissions":
                return (200, new Dictionary<string, object>
                {
                    ["value"] = new[] { new Dictionary<string, object> { ["actions"] = Permissions.ToArray(), ["notActions"] = Array.Empty<string>() } },
                });
            default:
                return (200, null);
        }
    }

    private void Advance(StubVm vm)
    {
        if (vm.State is not ("stopping" or "starting") || (vm.State == "stopping" && NeverStops))
        {
            return;
        }

        if (vm.ReadsLeft > 0)
        {
            vm.ReadsLeft--;
            return;
        }

        vm.State = vm.State == "stopping" ? "stopped" : "running";
    }

    private Dictionary<string, object> Token(bool includeResource)
    {
        var token = "stub-token-" + Interlocked.Increment(ref _issued).ToString(CultureInfo.InvariantCulture);
        var lifetime = (long)TokenLifetime.TotalSeconds;
        lock (Tokens)
        {
            Tokens[token] = DateTimeOffset.UtcNow + TokenLifetime;
        }

        var expires = (DateTimeOffset.UtcNow + TokenLifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var answer = new Dictionary<string, object>
        {
            ["access_token"] = token,
            ["token_type"] = "Bearer",
            ["expires_in"] = includeResource ? lifetime.ToString(CultureInfo.InvariantCulture) : lifetime,
        };
        if (includeResource)
        {
            answer["expires_on"] = expires;
            answer["resource"] = "https://management.azure.com/";
        }

        return answer;
    }

    /// <summary>A certificate's client assertion (a JWT) issued by the client: its payload's <c>iss</c>. The signature is not checked.</summary>
    private static bool IsAssertionFor(string assertion, string client)
    {
        var parts = assertion.Split('.');
        if (parts.Length != 3)
        {
            return false;
        }

        var payload = parts[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        using var json = JsonDocument.Parse(Convert.FromBase64String(payload));
        return json.RootElement.TryGetProperty("iss", out var iss) && iss.GetString() == client;
    }

    /// <summary>When a token this stub (or another) issued expires; null for a token never issued.</summary>
    private static DateTimeOffset? ExpiryOf(string token)
    {
        lock (Tokens)
        {
            return Tokens.TryGetValue(token, out var expiry) ? expiry : null;
        }
    }

    private static Dictionary<string, object> Error(string code, string message) =>
        new() { ["error"] = new Dictionary<string, object> { ["code"] = code, ["message"] = message } };

    private static string DefaultCode(int status) => status switch
    {
        401 => "InvalidAuthenticationToken",
        403 => "AuthorizationFailed",
        404 => "ResourceNotFound",
        409 => "OperationNotAllowed",
        429 => "TooManyRequests",
        _ => "InternalServerError",
    };
}
