using System.Buffers;
using BenchmarkDotNet.Attributes;
using ClusterD.Messaging.Framing;

namespace ClusterD.Benchmarks.Messaging;

/// <summary>
/// The TCP frame path, per frame: seal + write, and peek + verify (+ decrypt) + take (target: no allocation).
/// Decode reads a pre-encoded batch of consecutive frames with a fresh reader per invocation, because a
/// reader accepts each sequence number once; the reader's own 4 KiB scratch buffer is the only allocation
/// and is shared by the <see cref="Batch"/> frames of the invocation.
/// </summary>
public class FrameCodecBenchmarks
{
    private const int Batch = 1024;
    private const byte HelloKeyId = 1;
    private const byte SessionKeyId = 2;

    private readonly ArrayBufferWriter<byte> _output = new(64 * 1024);
    private byte[] _body = null!;
    private FrameProtection _sealer = null!;
    private FrameProtection _opener = null!;
    private FrameProtection.Hmac _helloOpener = null!;
    private Func<byte, FrameProtection.Hmac?> _helloKeys = null!;
    private ReadOnlySequence<byte> _stream;

    /// <summary>64 bytes is a heartbeat-sized control message; 1 KiB a resource status update.</summary>
    [Params(64, 1024)]
    public int PayloadBytes { get; set; }

    /// <summary>HMAC-SHA256 only (false) or AES-256-GCM (true, <c>crypto_cipher</c> set).</summary>
    [Params(false, true)]
    public bool Encrypted { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var sessionKey = Enumerable.Range(0, 32).Select(i => (byte)(0x40 + i)).ToArray();
        var longTermKey = Enumerable.Range(0, 32).Select(i => (byte)(0x10 + i)).ToArray();
        _body = Enumerable.Range(0, PayloadBytes).Select(i => (byte)i).ToArray();
        _sealer = Protection(sessionKey);
        _opener = Protection(sessionKey);
        _helloOpener = new FrameProtection.Hmac(HelloKeyId, longTermKey);
        _helloKeys = id => id == HelloKeyId ? _helloOpener : null;

        var stream = new ArrayBufferWriter<byte>();
        var writer = new FrameWriter { Session = Protection(sessionKey) };
        using (var helloSealer = new FrameProtection.Hmac(HelloKeyId, longTermKey))
        {
            writer.WriteHello(stream, "hello"u8, helloSealer);
        }

        for (var i = 0; i < Batch; i++)
        {
            writer.Write(stream, FrameType.Data, _body);
        }

        _stream = new ReadOnlySequence<byte>(stream.WrittenMemory);
        if (Decode() != (long)Batch * PayloadBytes + "hello"u8.Length)
        {
            throw new InvalidOperationException("the pre-encoded batch does not read back");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sealer.Dispose();
        _opener.Dispose();
        _helloOpener.Dispose();
    }

    [Benchmark]
    public int Encode()
    {
        _output.ResetWrittenCount();
        FrameCodec.Write(_output, FrameType.Data, 1, _body, _sealer);
        return _output.WrittenCount;
    }

    /// <summary>Reads the Hello and the <see cref="Batch"/> frames after it; returns the body bytes read.</summary>
    [Benchmark(OperationsPerInvoke = Batch + 1)]
    public long Decode()
    {
        var reader = new FrameReader(FrameCodec.DefaultMaxBody, _helloKeys) { Session = _opener };
        var buffer = _stream;
        long bodyBytes = 0;
        while (reader.TryRead(ref buffer, out var frame, out _))
        {
            bodyBytes += frame.Body.Length;
        }

        return bodyBytes;
    }

    private FrameProtection Protection(byte[] key) =>
        Encrypted ? new FrameProtection.AesGcmSealed(SessionKeyId, key, 0xA1B2C3D4) : new FrameProtection.Hmac(SessionKeyId, key);
}
