namespace ClusterD.Fencing.Azure;

/// <summary>
/// How the Azure agent's HTTP pipeline retries (Azure.Core's retry policy: 408, 429, 500, 502, 503 and 504
/// and network failures are retried; a <c>Retry-After</c> is waited out in full). Every retry stays
/// within the action's timeout.
/// </summary>
public sealed record AzureAgentOptions
{
    /// <summary>Retries after the first try of one call.</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>The first backoff, doubled after each retry (with jitter), when the answer names no <c>Retry-After</c>.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest backoff of its own; a longer <c>Retry-After</c> is still honoured.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one try may wait for the answer's headers.</summary>
    public TimeSpan NetworkTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
