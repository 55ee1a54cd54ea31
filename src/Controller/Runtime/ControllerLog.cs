using ClusterD.Controller.Core;
using Microsoft.Extensions.Logging;

namespace ClusterD.Controller.Runtime;

/// <summary>The controller's log lines (event ids 7000-7999).</summary>
internal static partial class ControllerLog
{
    [LoggerMessage(EventId = 7000, Level = LogLevel.Information, Message = "{Kind}: {Text}")]
    public static partial void Event(ILogger logger, ControllerEventKind kind, string text);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "Dropped a controller message from {Node}: {Reason}")]
    public static partial void BadMessage(ILogger logger, string node, string reason);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Error, Message = "The controller failed handling {Input}; it goes on with the next input")]
    public static partial void InputFailed(ILogger logger, string input, Exception exception);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Critical, Message = "Could not persist configuration {Version}: {Reason}")]
    public static partial void PersistFailed(ILogger logger, ResourceManager.Configuration.ConfigVersion version, string reason);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Warning, Message = "Could not keep a scheduler decision in the journal: {Reason}")]
    public static partial void JournalFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 7010, Level = LogLevel.Warning, Message = "Watchdog {Device} armed: {Detail}")]
    public static partial void WatchdogArmed(ILogger logger, string device, string detail);

    [LoggerMessage(EventId = 7011, Level = LogLevel.Information, Message = "Watchdog {Device} disarmed (magic close)")]
    public static partial void WatchdogDisarmed(ILogger logger, string device);

    [LoggerMessage(EventId = 7012, Level = LogLevel.Critical, Message = "Watchdog: {Reason}")]
    public static partial void WatchdogFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 7020, Level = LogLevel.Information, Message = "Scheduled Events off: {Reason}")]
    public static partial void ScheduledEventsOff(ILogger logger, string reason);

    [LoggerMessage(EventId = 7021, Level = LogLevel.Warning, Message = "Scheduled Events: {Problem}")]
    public static partial void ScheduledEventsProblem(ILogger logger, string problem);

    [LoggerMessage(EventId = 7022, Level = LogLevel.Information, Message = "Scheduled Events answer again")]
    public static partial void ScheduledEventsRecovered(ILogger logger);

    [LoggerMessage(EventId = 7023, Level = LogLevel.Information, Message = "Scheduled Event {EventId} acknowledged")]
    public static partial void ScheduledEventAcknowledged(ILogger logger, string eventId);

    [LoggerMessage(EventId = 7024, Level = LogLevel.Warning, Message = "Powering {Node} on again failed: {Reason}")]
    public static partial void PowerOnFailed(ILogger logger, string node, string reason);
}
