// An environment's saved registers, in the layout every kernel entry leaves on the trap
// stack: the extended-state area (XSAVE's standard form for the features boot.asm put in
// XCR0, or FXSAVE's 512 bytes; XStateArea bytes reserved), then the TrapFrame. System calls
// build it in place here (stubs.asm), so saving them is nothing; traps and interrupts copy it
// from the stack; resuming is exo_resume_user (stubs.asm) straight from this block. 64-byte
// aligned (XSAVE needs it); nothing but the kernel's own saves ever writes the area.
using System.Runtime.InteropServices;

namespace ExoSharp.Kernel.X64;

internal static unsafe class UserContext
{
    /// <summary>Room for the extended state: at least XSAVE's x87+SSE+AVX area (832
    /// bytes), and 16 mod 64 so that the area below a TrapFrame at the trap stack's
    /// top (64-byte aligned) is 64-byte aligned.</summary>
    public const int XStateArea = 1040;
    public const int Size = XStateArea + 176;
    private const ushort UserCode = 0x2B, UserData = 0x23;

    /// <summary>A zeroed context with ring-3 selectors, interrupts on, default FPU state.</summary>
    public static byte* Allocate()
    {
        byte* raw = (byte*)NativeMemory.AllocZeroed(Size + 64);
        byte* context = (byte*)(((ulong)raw + 64) & ~63UL);
        ((byte**)context)[-1] = raw;               // for Free
        *(ushort*)context = 0x037F;                 // FCW: x87 defaults
        *(uint*)(context + 24) = 0x1F80;            // MXCSR: all exceptions masked
        TrapFrame* frame = Frame(context);
        frame->Cs = UserCode;
        frame->Ss = UserData;
        frame->Rflags = 0x202;
        return context;
    }

    public static void Free(byte* context) => NativeMemory.Free(((byte**)context)[-1]);

    public static TrapFrame* Frame(byte* context) => (TrapFrame*)(context + XStateArea);

    /// <summary>Copies what a kernel entry saved on the stack (frame and the extended
    /// state below it); nothing when the entry saved it in place (system calls do).</summary>
    public static void Save(byte* context, TrapFrame* frame)
    {
        if ((byte*)frame - XStateArea != context) System.Buffer.MemoryCopy((byte*)frame - XStateArea, context, Size, Size);
    }

    /// <summary>Only the flags a program may set: arithmetic, DF, AC; IF always on.</summary>
    public static ulong SanitizeFlags(ulong rflags) => (rflags & 0x40DD5) | 0x202;
}
