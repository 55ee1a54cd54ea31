namespace ClusterD.Agents.Native.Drbd;

/// <summary>DRBD's status output could not be read; the action fails with this reason.</summary>
internal sealed class DrbdStatusException(string message, Exception inner) : Exception(message, inner);
