namespace ClusterD.TestKit;

/// <summary>Turns genuine-looking samples into hostile input for robustness tests, the same way for datagrams and frames.</summary>
public static class HostileInput
{
    /// <summary>
    /// Writes into <paramref name="into"/> one of: the sample as is, with one byte flipped, truncated,
    /// made too big by <paramref name="oversize"/> (which writes it and returns its length), or random bytes.
    /// Returns the length written.
    /// </summary>
    public static int Mutate(Random random, byte[] sample, byte[] into, Func<byte[], byte[], int> oversize)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(oversize);
        switch (random.Next(5))
        {
            case 0:
                sample.CopyTo(into, 0);
                return sample.Length;
            case 1:
                sample.CopyTo(into, 0);
                into[random.Next(sample.Length)] ^= (byte)(1 + random.Next(255));
                return sample.Length;
            case 2:
                var cut = random.Next(1, sample.Length);
                sample.AsSpan(0, cut).CopyTo(into);
                return cut;
            case 3:
                return oversize(sample, into);
            default:
                var length = random.Next(1, 1500);
                random.NextBytes(into.AsSpan(0, length));
                return length;
        }
    }
}
