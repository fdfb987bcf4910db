// Model-specific registers the kernel writes, and the SYSCALL/SYSRET setup.
namespace ExoSharp.Kernel.X64;

internal static class Msr
{
    public const uint Star = 0xC0000081;
    public const uint LStar = 0xC0000082;
    public const uint FMask = 0xC0000084;

    /// <summary>AC, NT, DF, IF, TF: the flags SYSCALL clears.</summary>
    public const ulong SyscallFlagMask = 0x44700;

    /// <summary>SYSCALL enters syscall_entry with IF, DF, TF, NT and AC cleared (NT set in ring 0
    /// makes the kernel's next iretq fault); SYSRET returns to the ring-3 selectors 0x2B/0x23
    /// (boot.asm's GDT order). EFER.SCE is set by boot.asm.</summary>
    public static void EnableSyscall(ulong entry)
    {
        Cpu.WriteMsr(Star, (0x18UL << 48) | ((ulong)Gdt.KernelCode << 32));
        Cpu.WriteMsr(LStar, entry);
        Cpu.WriteMsr(FMask, SyscallFlagMask);
    }
}
