namespace ClusterD.ResourceManager.Scheduling;

/// <summary>What one action of a transition does. Names print in lower case (<c>start</c>, <c>fence</c>, ...).</summary>
public enum TransitionOp
{
    Start,
    Stop,
    Promote,
    Demote,
    Monitor,
    Fence,

    /// <summary>A pre or post notification to a clone instance about its clone's starts, stops, promotes or demotes (<c>notify=true</c>).</summary>
    Notify,
}
