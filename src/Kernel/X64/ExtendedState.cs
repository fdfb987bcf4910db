// The x87/SSE/AVX state the kernel keeps in every UserContext (stubs.asm saves and loads it
// at each entry and exit): what Boot/boot.asm enabled, and the check every area that came
// from user memory passes before the kernel's XRSTOR may load it (EnvSetExtendedState), so
// that a bad header is refused with an error instead of a #GP in ring 0.
namespace ExoSharp.Kernel.X64;

internal static unsafe class ExtendedState
{
    /// <summary>XCR0 (0: FXSAVE only), the area's size in bytes, MXCSR_MASK.</summary>
    public static ulong Mask, Size, MxcsrMask;

    public static void Initialize()
    {
        ulong* info = stackalloc ulong[3];
        Cpu.ExtendedStateInfo(info);
        Mask = info[0];
        Size = info[1];
        MxcsrMask = info[2];
    }

    /// <summary>Would XRSTOR (FXRSTOR) load area without a fault? MXCSR only the bits the
    /// CPU accepts; with XSAVE a standard-form header: XSTATE_BV only enabled features,
    /// XCOMP_BV and every reserved header byte zero. Precondition: Size bytes readable.</summary>
    public static bool IsValid(byte* area)
    {
        if ((*(uint*)(area + 24) & ~MxcsrMask) != 0) return false;
        if (Mask == 0) return true;
        ulong* header = (ulong*)(area + 512);
        if ((header[0] & ~Mask) != 0) return false;
        for (int i = 1; i < 8; i++)
            if (header[i] != 0) return false;
        return true;
    }
}
