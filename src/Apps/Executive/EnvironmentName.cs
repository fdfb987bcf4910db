// Names the calling environment for the kernel's console lines (EnvSetName), so the executive
// tests' forked children read as "dns", "web", "sleeper" rather than their parent's name.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Executive
{
    internal static unsafe class EnvironmentName
    {
        public static long Set(string name)
        {
            byte* text = stackalloc byte[name.Length];
            for (int i = 0; i < name.Length; i++) text[i] = (byte)name[i];
            return SystemCall.Invoke(Syscall.EnvSetName, Capability.Self, (ulong)text, (ulong)name.Length);
        }
    }
}
