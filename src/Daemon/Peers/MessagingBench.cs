using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using ClusterD.Admin.V1;
using ClusterD.Membership.Configuration;
using ClusterD.Messaging.Peers;

namespace ClusterD.Daemon.Peers;

/// <summary>
/// The messaging diagnostic behind <c>BenchMessaging</c> (like corosync's cpgbench): streams numbered
/// messages to a peer, which checks their order, or times request/response round trips.
/// Payload: run id (8 bytes), sequence (8 bytes), padding.
/// </summary>
internal sealed class MessagingBench(PeerNetwork network, ClusterConfiguration config)
{
    private const string Stream = "bench.stream";
    private const string Report = "bench.report";
    private const string Echo = "bench.echo";
    private const int MinPayload = 16;
    private const int WarmUpRoundTrips = 2000;

    /// <summary>The bounds of one run (requests above them are refused, not clamped): messages streamed.</summary>
    public const uint MaxStreamCount = 10_000_000;

    /// <summary>Round trips timed in one run (each waits for the peer, so fewer than streamed messages).</summary>
    public const uint MaxRoundTripCount = 1_000_000;

    /// <summary>Payload bytes per message.</summary>
    public const uint MaxPayloadBytes = 64 * 1024;

    /// <summary>A run ends at this bound with what it measured so far and an error saying so.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<(uint From, ulong Run), RunCounters> _runs = new();

    public void RegisterHandlers()
    {
        network.Handle(Stream, OnStream);
        network.Handle(Report, OnReport);
        network.Handle(Echo, m => ValueTask.FromResult<byte[]?>(m.Payload.ToArray()));
    }

    /// <summary>Null when <paramref name="request"/> is within the bounds, else what is wrong, in the request's terms.</summary>
    public static string? Problem(BenchMessagingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var roundTrip = request.Mode == BenchMessagingRequest.Types.Mode.RoundTrip;
        var maxCount = roundTrip ? MaxRoundTripCount : MaxStreamCount;
        if (request.Count < 1 || request.Count > maxCount)
        {
            return $"count {request.Count}: must be 1 to {maxCount} for {(roundTrip ? "round trips" : "a stream")}";
        }

        return request.PayloadBytes > MaxPayloadBytes ? $"payload_bytes {request.PayloadBytes}: must be at most {MaxPayloadBytes}" : null;
    }

    public async Task<BenchMessagingReply> RunAsync(BenchMessagingRequest request, CancellationToken cancellationToken)
    {
        if (Problem(request) is { } problem)
        {
            throw new ArgumentException(problem);
        }

        var peer = config.Nodes.FindByName(request.Node)
            ?? throw new ArgumentException($"no node named '{request.Node}' in the nodelist");
        var count = request.Count;
        var size = Math.Max((int)request.PayloadBytes, MinPayload);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(MaxDuration);
        var runToken = bounded.Token;
        var run = (ulong)Random.Shared.NextInt64();
        var payload = new byte[size];
        BinaryPrimitives.WriteUInt64BigEndian(payload, run);
        var reply = new BenchMessagingReply();
        var started = Stopwatch.GetTimestamp();
        var rtts = request.Mode == BenchMessagingRequest.Types.Mode.RoundTrip ? new List<double>((int)count) : null;
        try
        {
            if (rtts is not null)
            {
                // Steady state is what is measured: the first round trips run code the JIT has not optimised yet.
                for (var i = 0; i < WarmUpRoundTrips; i++)
                {
                    await network.RequestAsync(peer.Id.Value, Echo, payload, TimeSpan.FromSeconds(5), runToken);
                }
            }

            for (var seq = 1UL; seq <= count; seq++)
            {
                BinaryPrimitives.WriteUInt64BigEndian(payload.AsSpan(8), seq);
                if (rtts is null)
                {
                    await network.SendAsync(peer.Id.Value, Stream, payload, runToken);
                }
                else
                {
                    var t = Stopwatch.GetTimestamp();
                    await network.RequestAsync(peer.Id.Value, Echo, payload, TimeSpan.FromSeconds(5), runToken);
                    rtts.Add(Stopwatch.GetElapsedTime(t).TotalMicroseconds);
                }

                reply.Sent = seq;
            }

            if (rtts is null)
            {
                // Same session and FIFO: the report is answered after every streamed message was handled.
                var counters = await network.RequestAsync(peer.Id.Value, Report, payload.AsMemory(0, 8), TimeSpan.FromSeconds(30), runToken);
                reply.Received = BinaryPrimitives.ReadUInt64BigEndian(counters);
                reply.OutOfOrder = BinaryPrimitives.ReadUInt64BigEndian(counters.AsSpan(8));
                reply.Duplicates = BinaryPrimitives.ReadUInt64BigEndian(counters.AsSpan(16));
            }
            else
            {
                rtts.Sort();
                reply.Received = (ulong)rtts.Count;
                reply.RttP50Us = rtts[(int)Math.Ceiling(0.50 * rtts.Count) - 1];
                reply.RttP99Us = rtts[(int)Math.Ceiling(0.99 * rtts.Count) - 1];
            }
        }
        catch (Exception e) when (e is PeerUnavailableException or TimeoutException or PeerRequestFailedException)
        {
            reply.Error = e.Message;
        }
        catch (OperationCanceledException) when (bounded.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            reply.Error = $"stopped at the {MaxDuration.TotalSeconds:0} s limit of one run";
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        reply.ElapsedMs = elapsed.TotalMilliseconds;
        reply.MessagesPerSecond = reply.Sent / Math.Max(elapsed.TotalSeconds, 1e-9);
        return reply;
    }

    private ValueTask<byte[]?> OnStream(IncomingMessage message)
    {
        if (message.Payload.Length >= MinPayload)
        {
            var run = BinaryPrimitives.ReadUInt64BigEndian(message.Payload.Span);
            var seq = BinaryPrimitives.ReadUInt64BigEndian(message.Payload.Span[8..]);
            _runs.GetOrAdd((message.From, run), _ => new RunCounters()).Observe(seq);
        }

        return ValueTask.FromResult<byte[]?>(null);
    }

    private ValueTask<byte[]?> OnReport(IncomingMessage message)
    {
        var run = BinaryPrimitives.ReadUInt64BigEndian(message.Payload.Span);
        _runs.TryRemove((message.From, run), out var counters);
        var result = new byte[24];
        BinaryPrimitives.WriteUInt64BigEndian(result, counters?.Received ?? 0);
        BinaryPrimitives.WriteUInt64BigEndian(result.AsSpan(8), counters?.OutOfOrder ?? 0);
        BinaryPrimitives.WriteUInt64BigEndian(result.AsSpan(16), counters?.Duplicates ?? 0);
        return ValueTask.FromResult<byte[]?>(result);
    }

    /// <summary>Order check of one run: called from one session's read loop only.</summary>
    private sealed class RunCounters
    {
        private ulong _highest;

        public ulong Received { get; private set; }

        public ulong OutOfOrder { get; private set; }

        public ulong Duplicates { get; private set; }

        public void Observe(ulong seq)
        {
            Received++;
            if (seq == _highest + 1)
            {
                _highest = seq;
            }
            else if (seq <= _highest)
            {
                Duplicates++;
            }
            else
            {
                OutOfOrder++;
                _highest = seq;
            }
        }
    }
}
