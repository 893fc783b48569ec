using System.Runtime.InteropServices;

namespace CryptoSecure.Infrastructure.Scheduling;

/// <summary>Lowers the CPU priority of the calling thread.</summary>
internal static class ThreadNice
{
    /// <summary>
    /// Raises the calling thread's nice value by <paramref name="by"/> (Linux: per thread, allowed
    /// without privileges since it only lowers priority; elsewhere <see cref="ThreadPriority.BelowNormal"/>).
    /// </summary>
    /// <returns>Whether the priority was lowered.</returns>
    public static bool TryLowerCurrentThread(int by)
    {
        if (!OperatingSystem.IsLinux())
        {
            try
            {
                Thread.CurrentThread.Priority = ThreadPriority.BelowNormal;
                return true;
            }
            catch (Exception exception) when (exception is PlatformNotSupportedException or ThreadStateException)
            {
                return false;
            }
        }

        var tid = gettid();
        // getpriority can return -1 as a value: clear errno first and check it after.
        Marshal.SetLastPInvokeError(0);
        var current = getpriority(PrioProcess, tid);
        if (current == -1 && Marshal.GetLastPInvokeError() != 0)
        {
            return false;
        }

        return setpriority(PrioProcess, tid, Math.Min(19, current + by)) == 0;
    }

    private const int PrioProcess = 0;

    [DllImport("libc", SetLastError = true)]
    private static extern int gettid();

    [DllImport("libc", SetLastError = true)]
    private static extern int getpriority(int which, int who);

    [DllImport("libc", SetLastError = true)]
    private static extern int setpriority(int which, int who, int prio);
}
