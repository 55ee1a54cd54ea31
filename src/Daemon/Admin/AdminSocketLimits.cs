using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace ClusterD.Daemon.Admin;

/// <summary>
/// The admin socket's bounds. The API is small requests and a few event streams, so every Kestrel
/// buffer and window is set far below its web-server default: what one connection can make the
/// daemon hold is a few tens of KiB, and how many connections exist is bounded by
/// <see cref="AdminConnectionBudget"/>. Idle or stalled connections are dropped by the timeouts.
/// </summary>
internal static class AdminSocketLimits
{
    /// <summary>Open connections in all.</summary>
    public const int MaxConnections = 256;

    /// <summary>Open connections of callers other than root and the daemon's user; the rest is kept for those two.</summary>
    public const int MaxUntrustedConnections = 192;

    /// <summary>Open connections of one uid other than root and the daemon's user (clusterctl needs one).</summary>
    public const int MaxConnectionsPerUid = 16;

    /// <summary>Concurrent calls on one connection.</summary>
    public const int MaxStreamsPerConnection = 16;

    /// <summary>Unread request bytes Kestrel buffers per connection before it stops reading the socket.</summary>
    public const int MaxRequestBufferBytes = 64 * 1024;

    /// <summary>An idle connection (no call in progress) is closed after this; so is one that never finishes its preface.</summary>
    public static readonly TimeSpan KeepAliveTimeout = TimeSpan.FromSeconds(20);

    /// <summary>A call's headers must arrive within this.</summary>
    public static readonly TimeSpan RequestHeadersTimeout = TimeSpan.FromSeconds(5);

    public static void Apply(KestrelServerOptions options, string socket, AdminConnectionGate gate)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(gate);
        options.ListenUnixSocket(socket, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            listen.Use(gate.Wrap);
        });
        var limits = options.Limits;
        limits.MaxRequestBodySize = 1 << 20;
        limits.MaxRequestBufferSize = MaxRequestBufferBytes;
        limits.MaxRequestHeadersTotalSize = 16 * 1024;
        limits.KeepAliveTimeout = KeepAliveTimeout;
        limits.RequestHeadersTimeout = RequestHeadersTimeout;
        limits.Http2.MaxStreamsPerConnection = MaxStreamsPerConnection;
        limits.Http2.MaxFrameSize = 16 * 1024; // the protocol's minimum
        limits.Http2.MaxRequestHeaderFieldSize = 8 * 1024;
        limits.Http2.HeaderTableSize = 4096;
        limits.Http2.InitialConnectionWindowSize = 128 * 1024;
        limits.Http2.InitialStreamWindowSize = 64 * 1024;
    }
}
