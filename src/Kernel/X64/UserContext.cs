// An environment's saved registers, in the layout every kernel entry leaves on the trap
// stack: the 512-byte FXSAVE area, then the TrapFrame. System calls build it in place here
// (stubs.asm), so saving them is nothing; traps and interrupts copy it from the stack;
// resuming is exo_resume_user (stubs.asm) straight from this block. 16-byte aligned.
using System.Runtime.InteropServices;

namespace ExoSharp.Kernel.X64
{
    internal static unsafe class UserContext
    {
        public const int FxSize = 512;
        public const int Size = FxSize + 176;
        private const ushort UserCode = 0x2B, UserData = 0x23;

        /// <summary>A zeroed context with ring-3 selectors, interrupts on, default FPU state.</summary>
        public static byte* Allocate()
        {
            byte* context = (byte*)NativeMemory.AllocZeroed(Size);
            *(ushort*)context = 0x037F;                 // FCW: x87 defaults
            *(uint*)(context + 24) = 0x1F80;            // MXCSR: all exceptions masked
            TrapFrame* frame = Frame(context);
            frame->Cs = UserCode;
            frame->Ss = UserData;
            frame->Rflags = 0x202;
            return context;
        }

        public static TrapFrame* Frame(byte* context) => (TrapFrame*)(context + FxSize);

        /// <summary>Copies what a kernel entry saved on the stack (frame and the FXSAVE area
        /// below it); nothing when the entry saved it in place (system calls do).</summary>
        public static void Save(byte* context, TrapFrame* frame)
        {
            if ((byte*)frame - FxSize != context) System.Buffer.MemoryCopy((byte*)frame - FxSize, context, Size, Size);
        }

        /// <summary>Only the flags a program may set: arithmetic, DF, AC; IF always on.</summary>
        public static ulong SanitizeFlags(ulong rflags) => (rflags & 0x40DD5) | 0x202;
    }
}
