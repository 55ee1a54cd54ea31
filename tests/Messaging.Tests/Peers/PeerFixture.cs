using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using ClusterD.Messaging.Peers;
using ClusterD.Messaging.Security;
using Microsoft.Extensions.Logging;

namespace ClusterD.Messaging.Tests.Peers;

/// <summary>
/// The PeerNetwork tests run real TCP sessions on loopback with timing bounds (prompt failure, memory
/// ceilings), so they run alone: after the parallel tests, one at a time, on the machine's 2 shared cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PeerNetworkCollection
{
    public const string Name = "PeerNetwork on real loopback TCP";
}

/// <summary>Shared values and helpers of the PeerNetwork tests.</summary>
internal static class PeerFixture
{
    public const int Port = 5406;
    public const string ClusterName = "hacluster";
    public const string Echo = "echo";

    /// <summary>How long a condition that should hold "soon" may take before the test fails.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>A reconnect may wait out the dialer's backoff (at most 5 s plus 25% jitter).</summary>
    public static readonly TimeSpan ReconnectPatience = TimeSpan.FromSeconds(20);

    /// <summary>Random start so two test processes on one machine are unlikely to pick the same addresses.</summary>
    private static int s_nextBlock = Random.Shared.Next(256);

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A fresh third octet: every test gets its own addresses 127.77.k.*.</summary>
    public static int NextBlock() => Interlocked.Increment(ref s_nextBlock) & 0xFF;

    public static PeerLinkStatus Link(this PeerNetwork network, uint peer) => network.Status().Single(s => s.NodeId == peer);

    public static long Rejected(this PeerLinkStatus status, string reason) => status.Rejects.TryGetValue(reason, out var n) ? n : 0;

    public static string Describe(this PeerNetwork network) => string.Join("; ", network.Status().Select(s =>
        $"node {s.NodeId}: connected={s.Connected} remote={s.RemoteAddress} inc={s.PeerIncarnation} in={s.FramesIn} out={s.FramesOut} "
        + $"reconnects={s.Reconnects} queue={s.QueueDepth}/{s.QueuedBytes}B rejects=[{string.Join(",", s.Rejects.Select(r => $"{r.Key}={r.Value}"))}] error={s.LastError}"));

    /// <summary>Polls <paramref name="condition"/> every 10 ms; fails the test when it is still false after <paramref name="timeout"/>.</summary>
    public static async Task Until(Func<bool> condition, string what, TimeSpan? timeout = null, Func<string>? diagnostics = null)
    {
        var limit = timeout ?? Patience;
        var started = Stopwatch.GetTimestamp();
        while (!condition())
        {
            if (Stopwatch.GetElapsedTime(started) > limit)
            {
                Assert.Fail($"timed out after {limit.TotalSeconds} s waiting until {what}{(diagnostics is null ? "" : ": " + diagnostics())}");
            }

            await Task.Delay(10, Ct);
        }
    }

    /// <summary>Polls every 10 ms for <paramref name="window"/> and fails as soon as <paramref name="invariant"/> is false.</summary>
    public static async Task Throughout(TimeSpan window, Func<bool> invariant, string what, Func<string>? diagnostics = null)
    {
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < window)
        {
            Assert.True(invariant(), $"expected {what} throughout {window.TotalSeconds} s{(diagnostics is null ? "" : ": " + diagnostics())}");
            await Task.Delay(10, Ct);
        }
    }

    /// <summary>Polls every 10 ms until <paramref name="value"/> has not changed for <paramref name="steadyFor"/>.</summary>
    public static async Task UntilSteady(Func<long> value, TimeSpan steadyFor, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Patience;
        var started = Stopwatch.GetTimestamp();
        var last = value();
        var since = started;
        while (Stopwatch.GetElapsedTime(since) < steadyFor)
        {
            Assert.True(Stopwatch.GetElapsedTime(started) < limit, $"timed out after {limit.TotalSeconds} s waiting until {what}");
            await Task.Delay(10, Ct);
            if (value() is var now && now != last)
            {
                last = now;
                since = Stopwatch.GetTimestamp();
            }
        }
    }

    public static Task UntilConnected(PeerNetwork a, uint aId, PeerNetwork b, uint bId, TimeSpan? timeout = null) =>
        Until(() => a.Link(bId).Connected && b.Link(aId).Connected, $"nodes {aId} and {bId} are connected", timeout ?? Patience,
            () => $"[{aId}] {a.Describe()} | [{bId}] {b.Describe()}");

    /// <summary>Awaits a task that must fail, within <paramref name="timeout"/>, and returns its exception.</summary>
    public static async Task<Exception> Failure(Task task, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Patience;
        var finished = await Task.WhenAny(task, Task.Delay(limit, Ct));
        Assert.True(ReferenceEquals(finished, task), $"the task did not finish within {limit.TotalSeconds} s");
        try
        {
            await task;
        }
        catch (Exception e)
        {
            return e;
        }

        throw new Xunit.Sdk.XunitException("expected the task to fail, it succeeded");
    }

    public static byte[] Number(long n)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, n);
        return bytes;
    }

    public static ValueTask<byte[]?> EchoHandler(IncomingMessage m) =>
        ValueTask.FromResult<byte[]?>([.. "echo from "u8, (byte)('0' + m.From), (byte)':', .. m.Payload.Span]);

    public static byte[] Echoed(uint from, byte[] payload) => [.. "echo from "u8, (byte)('0' + from), (byte)':', .. payload];
}

/// <summary>Makes the PeerNetwork nodes of one test, all on 127.77.k.&lt;node&gt;:5406 with one shared key ring.</summary>
internal sealed class PeerCluster(params uint[] members)
{
    public int Block { get; } = PeerFixture.NextBlock();

    public AuthKeyRing Ring { get; } = new(AuthKey.Generate(1), []);

    public IReadOnlyList<uint> Members { get; } = members;

    public IPEndPoint Address(uint node) => new(IPAddress.Parse($"127.77.{Block}.{node}"), PeerFixture.Port);

    public static HandshakeOptions Options(uint node, AuthKeyRing ring, ulong? incarnation = null, MessagingCipher cipher = MessagingCipher.None) => new(
        PeerFixture.ClusterName,
        node,
        incarnation ?? 1000 + node,
        () => ring,
        cipher,
        id => id is 1 or 2 or 3,
        1 << 20,
        TimeSpan.FromSeconds(5));

    /// <summary>Creates (and by default starts) node <paramref name="id"/>; its peers are the other members at their usual address.</summary>
    public PeerNetwork Node(
        uint id,
        Action<PeerNetwork>? handlers = null,
        ulong? incarnation = null,
        bool encrypt = false,
        AuthKeyRing? ring = null,
        Func<uint, IReadOnlyList<IPEndPoint>>? addressesOf = null,
        MessagingCipher? cipher = null,
        Func<HandshakeOptions, HandshakeOptions>? tune = null)
    {
        var peers = Members.Where(p => p != id).Select(p => new PeerEndpoint(p, $"node{p}", addressesOf?.Invoke(p) ?? [Address(p)])).ToArray();
        var options = Options(id, ring ?? Ring, incarnation, cipher ?? (encrypt ? MessagingCipher.Aes256 : MessagingCipher.None));
        var network = new PeerNetwork(tune?.Invoke(options) ?? options, peers, [Address(id)], TimeProvider.System,
            new TestLogger($"n{id}@{incarnation ?? 1000 + id}"));
        handlers?.Invoke(network);
        try
        {
            network.Start();
        }
        catch
        {
            network.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }

        return network;
    }
}

/// <summary>Logs to the current test's output (Debug and above, at most 300 lines per node); silent once the test has ended.</summary>
internal sealed class TestLogger(string name) : ILogger
{
    private const int MaxLines = 300;
    private readonly ITestOutputHelper? _output = TestContext.Current.TestOutputHelper;
    private int _lines;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (_output is null || Interlocked.Increment(ref _lines) > MaxLines)
        {
            return;
        }

        try
        {
            _output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {name} {logLevel}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
        }
        catch (InvalidOperationException)
        {
            // The test has finished; background loops may still log while shutting down.
        }
    }
}
