using System.Buffers;

namespace ClusterD.Messaging.Tests.Framing;

/// <summary>
/// Builds multi-segment sequences the way a <c>PipeReader</c> hands them out. Every segment owns a copy of
/// its bytes, so a reader that strayed past a segment's end would read garbage instead of the right bytes.
/// </summary>
internal sealed class BufferSegment : ReadOnlySequenceSegment<byte>
{
    private BufferSegment(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    public static ReadOnlySequence<byte> Create(params ReadOnlyMemory<byte>[] parts)
    {
        if (parts.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new BufferSegment(parts[0].ToArray(), 0);
        var last = first;
        for (var i = 1; i < parts.Length; i++)
        {
            var next = new BufferSegment(parts[i].ToArray(), last.RunningIndex + last.Memory.Length);
            last.Next = next;
            last = next;
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Two segments, <paramref name="at"/> bytes then the rest (either may be empty).</summary>
    public static ReadOnlySequence<byte> SplitAt(byte[] bytes, int at) => Create(bytes.AsMemory(0, at), bytes.AsMemory(at));

    /// <summary>Segments of <paramref name="size"/> bytes (the last one may be shorter).</summary>
    public static ReadOnlySequence<byte> Chunks(ReadOnlyMemory<byte> bytes, int size)
    {
        var parts = new ReadOnlyMemory<byte>[(bytes.Length + size - 1) / size];
        for (var i = 0; i < parts.Length; i++)
        {
            var start = i * size;
            parts[i] = bytes.Slice(start, Math.Min(size, bytes.Length - start));
        }

        return Create(parts);
    }
}
