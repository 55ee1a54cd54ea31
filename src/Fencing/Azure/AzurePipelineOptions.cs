using Azure.Core;
using Azure.Core.Pipeline;

namespace ClusterD.Fencing.Azure;

/// <summary>Azure.Core's pipeline over the run's <see cref="HttpClient"/>, retrying as <see cref="AzureAgentOptions"/> says, without Azure.Core's own logging and tracing.</summary>
internal sealed class AzurePipelineOptions : ClientOptions
{
    public AzurePipelineOptions(HttpClient http, AzureAgentOptions options, string applicationId)
    {
        Transport = new HttpClientTransport(http);
        Retry.MaxRetries = options.MaxRetries;
        Retry.Delay = options.RetryDelay;
        Retry.MaxDelay = options.MaxRetryDelay;
        Retry.Mode = RetryMode.Exponential;
        Retry.NetworkTimeout = options.NetworkTimeout;
        Diagnostics.ApplicationId = applicationId;
        Diagnostics.IsDistributedTracingEnabled = false;
        Diagnostics.IsLoggingEnabled = false;
    }
}
