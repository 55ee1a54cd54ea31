namespace ClusterD.Controller.Messages;

/// <summary>A controller message that does not decode or validate; the message is dropped and the reason logged.</summary>
public sealed class ControllerCodecException(string message) : Exception(message);
