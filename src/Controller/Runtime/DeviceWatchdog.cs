using System.Globalization;
using ClusterD.Platform.Watchdog;
using Microsoft.Extensions.Logging;

namespace ClusterD.Controller.Runtime;

/// <summary>
/// <see cref="IControllerWatchdog"/> over a <see cref="WatchdogDevice"/>: opened when the core arms it, written
/// at every feed, closed with the magic character when the core disarms it. A failure is logged and kept in
/// <see cref="Detail"/>; a feed that fails leaves the watchdog to count down, as it should. Called from the
/// controller's loop only.
/// </summary>
public sealed class DeviceWatchdog(ILogger logger) : IControllerWatchdog, IDisposable
{
    private WatchdogDevice? _device;

    public string? Detail { get; private set; }

    public void Arm(string device, TimeSpan timeout)
    {
        if (_device is { IsClosed: false })
        {
            return;
        }

        try
        {
            var seconds = (int)Math.Max(1, Math.Ceiling(timeout.TotalSeconds));
            _device = WatchdogDevice.Open(device, seconds);
            Detail = _device.Detail;
            ControllerLog.WatchdogArmed(logger, device, _device.Detail);
            if (_device.TimeoutSeconds is { } actual && actual > seconds)
            {
                var problem = string.Create(CultureInfo.InvariantCulture, $"watchdog {device} runs with {actual} s, longer than the {seconds} s configured: stonith-watchdog-timeout must exceed {actual} s");
                Detail += "; " + problem;
                ControllerLog.WatchdogFailed(logger, problem);
            }
        }
        catch (WatchdogException e)
        {
            Detail = e.Message;
            ControllerLog.WatchdogFailed(logger, e.Message);
        }
    }

    public void Feed()
    {
        try
        {
            _device?.Feed();
        }
        catch (Exception e) when (e is WatchdogException or ObjectDisposedException)
        {
            Detail = e.Message;
            ControllerLog.WatchdogFailed(logger, e.Message);
        }
    }

    public void Disarm()
    {
        if (_device is not { IsClosed: false } device)
        {
            return;
        }

        try
        {
            device.Disarm();
            Detail = $"{device.Path} disarmed";
            ControllerLog.WatchdogDisarmed(logger, device.Path);
        }
        catch (WatchdogException e)
        {
            Detail = e.Message;
            ControllerLog.WatchdogFailed(logger, e.Message);
        }
    }

    /// <summary>Closes without the magic character: an armed watchdog keeps counting (the daemon went away holding resources).</summary>
    public void Dispose() => _device?.Dispose();
}
