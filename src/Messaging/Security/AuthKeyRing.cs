namespace ClusterD.Messaging.Security;

/// <summary>
/// The keys a node holds: one it sends with and every key it accepts (the sending key included).
/// During a rotation a node accepts the old and the new key id and sends with one of them; see
/// docs/security.md for the three-step procedure. Immutable: a reload swaps the whole ring.
/// </summary>
public sealed class AuthKeyRing
{
    private readonly AuthKey?[] _byId = new AuthKey?[256];

    public AuthKeyRing(AuthKey sending, IEnumerable<AuthKey> alsoAccepted)
    {
        ArgumentNullException.ThrowIfNull(sending);
        Sending = sending;
        _byId[sending.Id] = sending;
        foreach (var key in alsoAccepted)
        {
            if (_byId[key.Id] is { } existing)
            {
                if (!existing.HeartbeatKey.SequenceEqual(key.HeartbeatKey))
                {
                    throw new ArgumentException($"key id {key.Id} is used by two different keys; give the new key another id");
                }

                continue;
            }

            _byId[key.Id] = key;
        }
    }

    public AuthKey Sending { get; }

    public IEnumerable<byte> AcceptedIds => Enumerable.Range(0, 256).Where(i => _byId[i] is not null).Select(i => (byte)i);

    public bool TryGet(byte id, out AuthKey key)
    {
        key = _byId[id]!;
        return key is not null;
    }
}
