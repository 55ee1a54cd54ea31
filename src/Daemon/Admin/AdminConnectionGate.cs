using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace ClusterD.Daemon.Admin;

/// <summary>
/// Kestrel connection middleware on the admin socket: reads the caller's credentials once per
/// connection (for <see cref="AdminAuthorizationInterceptor"/>) and refuses a connection at once
/// when <see cref="AdminConnectionBudget"/> has no slot for its uid. Refusals are counted and
/// reported at most once per <see cref="ReportPeriod"/>, so a flood cannot flood the log.
/// </summary>
internal sealed class AdminConnectionGate(AdminConnectionBudget budget, TimeProvider time, ILogger<AdminConnectionGate> logger)
{
    public static readonly TimeSpan ReportPeriod = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private long _refused;
    private long _reported;
    private long _lastReport = long.MinValue;

    public long Refused => Interlocked.Read(ref _refused);

    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        var socket = connection.Features.Get<IConnectionSocketFeature>()?.Socket;
        var caller = socket is null ? null : PeerCredentialReader.Read(socket);
        if (caller is null || !budget.TryAdmit(caller.Uid))
        {
            Refuse(caller);
            connection.Abort(new ConnectionAbortedException("admin socket connection limit reached"));
            return;
        }

        try
        {
            connection.Features.Set(caller);
            await next(connection);
        }
        finally
        {
            budget.Release(caller.Uid);
        }
    };

    private void Refuse(PeerCredentials? caller)
    {
        Interlocked.Increment(ref _refused);
        var now = time.GetTimestamp();
        lock (_lock)
        {
            if (_lastReport != long.MinValue && time.GetElapsedTime(_lastReport, now) < ReportPeriod)
            {
                return;
            }

            _lastReport = now;
        }

        var total = Refused;
        var since = total - Interlocked.Exchange(ref _reported, total);
        DaemonLog.AdminConnectionsRefused(logger, since, caller is null ? "unknown" : caller.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture), budget.Open, total);
    }
}
