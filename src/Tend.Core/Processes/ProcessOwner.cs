using System.Diagnostics;
using System.Globalization;

namespace Tend.Core.Processes;

/// <summary>
/// A process as the owner of something it leaves behind if it dies (a run, temporary files): <c>HOST-ID-START</c>,
/// the start being Linux's start time of the process in clock ticks since boot, so a reused id is another owner.
/// </summary>
public static class ProcessOwner
{
    /// <summary>This process.</summary>
    public static readonly string Current = Of(Environment.ProcessId);

    /// <summary>The process with this id on this host, as an owner.</summary>
    public static string Of(int pid) => $"{Environment.MachineName}-{pid}-{Started(pid)}";

    /// <summary>Whether the owner's process has ended: known on this host; null for another host's process (it cannot be looked at).</summary>
    public static bool? HasEnded(string owner)
    {
        var parts = owner.Split('-');
        if (parts.Length < 3 || string.Join('-', parts[..^2]) != Environment.MachineName || !int.TryParse(parts[^2], CultureInfo.InvariantCulture, out var pid))
            return null;
        try
        {
            return Started(pid) != parts[^1];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            return true; // no such process, or it exited while being looked at
        }
    }

    /// <summary>
    /// When the process started, exactly: /proc/PID/stat's field 22 on Linux. Process.StartTime adds a boot time it
    /// computes anew each call, so two processes see it differ by a few ticks; elsewhere it is taken to the second.
    /// </summary>
    private static string Started(int pid)
    {
        if (!OperatingSystem.IsLinux())
        {
            using var process = Process.GetProcessById(pid);
            return process.StartTime.ToUniversalTime().ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        }
        var text = File.ReadAllText($"/proc/{pid}/stat");
        return text[(text.LastIndexOf(')') + 2)..].Split(' ')[19]; // the fields after the command's name start at field 3
    }
}
