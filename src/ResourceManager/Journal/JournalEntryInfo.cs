namespace ClusterD.ResourceManager.Journal;

/// <summary>
/// One entry file as <see cref="DecisionJournal.List"/> sees it without reading it: its id, where it is,
/// its size and when it was last written (the file's modification time, which is the entry's time
/// unless someone touched the file).
/// </summary>
public readonly record struct JournalEntryInfo(long Id, string Path, long Bytes, DateTimeOffset Written);
