// Flags for work the kernel does a slice at a time, read on hot paths (every system call's
// entry): no static initialisers here, so reading one costs no static-constructor check.
// Reap: ended environments still hold capability tables or page tables (EnvTable.ReapSome);
// GcStress: gc=stress, the kernel collects at every system call (Collector.AtSystemCall).
namespace ExoSharp.Kernel.Core;

internal static class PendingWork
{
    public static bool Reap, GcStress;
}
