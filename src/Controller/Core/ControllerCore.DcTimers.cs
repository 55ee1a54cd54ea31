using ClusterD.ResourceManager.Configuration;

namespace ClusterD.Controller.Core;

/// <summary>The DC's clocks: failure-timeout expiries and cluster-recheck-interval.</summary>
public sealed partial class ControllerCore
{
    private sealed partial class DcState
    {
        /// <summary>The earliest time after <paramref name="after"/> at which a fail count's <c>failure-timeout</c> expires.</summary>
        private static DateTimeOffset? NextFailureExpiry(ControllerCore core, DateTimeOffset after)
        {
            var index = new ConfigIndex(core.Config);
            DateTimeOffset? next = null;
            foreach (var failcount in core.Status().Failcounts)
            {
                var timeout = index.FindResource(failcount.Resource) is null ? Duration.Zero
                    : index.EffectiveMeta(failcount.Resource).GetDuration(MetaNames.FailureTimeout) ?? Duration.Zero;
                if (timeout > Duration.Zero && failcount.LastFailure is { } last)
                {
                    var expiry = last + timeout.ToTimeSpan();
                    if (expiry > after && (next is null || expiry < next))
                    {
                        next = expiry;
                    }
                }
            }

            return next;
        }

        private static DateTimeOffset Earliest(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

        private static TimeSpan RecheckInterval(ClusterConfig config, ControllerOptions options) =>
            Duration.TryParse(config.Properties.Other.Get("cluster-recheck-interval"), out var d) && d > Duration.Zero
                ? d.ToTimeSpan()
                : options.DefaultRecheckInterval;
    }
}
