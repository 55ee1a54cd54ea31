namespace ClusterD.ResourceManager.Journal;

/// <summary>
/// A journal entry that cannot be read back: missing, not a regular file, too large, not what the
/// journal writes, or changed since it was written. The message starts with the file's path.
/// </summary>
public sealed class JournalEntryException : IOException
{
    public JournalEntryException()
    {
    }

    public JournalEntryException(string message)
        : base(message)
    {
    }

    public JournalEntryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
