using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Tend.Serving;

/// <summary>Linux's per-thread niceness: setpriority(PRIO_PROCESS, thread id, n) applies to the calling thread alone.</summary>
[SupportedOSPlatform("linux")]
internal static class ThreadNiceness
{
    private const int PrioProcess = 0;

    /// <summary>Lowers the calling thread's priority to <paramref name="niceness"/> (0 … 19); false if the kernel refused.</summary>
    public static bool Lower(int niceness) => SetPriority(PrioProcess, GetThreadId(), niceness) == 0;

    [DllImport("libc", EntryPoint = "setpriority")]
    private static extern int SetPriority(int which, int who, int priority);

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetThreadId();
}
