using System.Runtime.InteropServices;

namespace CryptoSecure.Infrastructure.FileSystem;

/// <summary>The one C library call .NET has no managed API for.</summary>
internal static class NativeMethods
{
    /// <summary>
    /// umask(2): sets the file-mode creation mask and returns the previous one. <c>mode_t</c> is
    /// 32 bits on Linux and 16 on macOS; both take and return it in a full register, so a 32-bit
    /// value with the high bits clear is right on either (callers mask the result).
    /// </summary>
    [DllImport("libc", EntryPoint = "umask", ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    internal static extern uint SetUmask(uint mask);
}
