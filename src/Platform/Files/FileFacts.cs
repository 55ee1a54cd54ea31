namespace ClusterD.Platform.Files;

/// <summary>What <c>statx(2)</c> says about one file.</summary>
/// <param name="Kind">Its type.</param>
/// <param name="OwnerId">The uid that owns it.</param>
/// <param name="Mode">Its permission bits (set-id and sticky bits included, the type bits not).</param>
/// <param name="Length">Its size in bytes as reported (0 for most files under <c>/proc</c>).</param>
/// <param name="Inode">Its inode number: with the kind, tells a file from another that later took its name.</param>
public readonly record struct FileFacts(FileKind Kind, uint OwnerId, UnixFileMode Mode, long Length, ulong Inode);
