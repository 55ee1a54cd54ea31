using System.Text;

namespace ClusterD.Agents.Processes;

/// <summary>
/// Collects a process's output up to a byte limit, keeping the first half and the most recent
/// half: the first error and the last words both survive a chatty agent. Thread-safe, because
/// stdout and stderr are pumped concurrently into one buffer in arrival order.
/// </summary>
internal sealed class BoundedOutput
{
    private readonly object _gate = new();
    private readonly int _headLimit;
    private readonly byte[] _head;
    private readonly byte[] _tail;
    private int _headLength;
    private int _tailStart;
    private int _tailLength;
    private long _dropped;

    public BoundedOutput(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 2);
        _headLimit = limit / 2;
        _head = new byte[_headLimit];
        _tail = new byte[limit - _headLimit];
    }

    /// <summary>True once anything was dropped.</summary>
    public bool Truncated
    {
        get
        {
            lock (_gate)
            {
                return _dropped > 0;
            }
        }
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            var toHead = Math.Min(data.Length, _headLimit - _headLength);
            data[..toHead].CopyTo(_head.AsSpan(_headLength));
            _headLength += toHead;
            data = data[toHead..];

            // The tail is a ring: what falls out of it is dropped and counted.
            foreach (var b in data)
            {
                if (_tailLength < _tail.Length)
                {
                    _tail[(_tailStart + _tailLength) % _tail.Length] = b;
                    _tailLength++;
                }
                else
                {
                    _tail[_tailStart] = b;
                    _tailStart = (_tailStart + 1) % _tail.Length;
                    _dropped++;
                }
            }
        }
    }

    /// <summary>The text, decoded as UTF-8 (invalid sequences replaced), with a marker where bytes were dropped.</summary>
    public override string ToString()
    {
        lock (_gate)
        {
            var tail = new byte[_tailLength];
            for (var i = 0; i < _tailLength; i++)
            {
                tail[i] = _tail[(_tailStart + i) % _tail.Length];
            }

            var head = Encoding.UTF8.GetString(_head, 0, _headLength);
            return _dropped == 0
                ? head + Encoding.UTF8.GetString(tail)
                : $"{head}\n[... {_dropped} bytes of output omitted ...]\n{Encoding.UTF8.GetString(tail)}";
        }
    }
}
