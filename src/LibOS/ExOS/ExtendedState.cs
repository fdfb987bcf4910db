// The x87/SSE/AVX registers of interrupted code: exo_exception_entry (start.asm) saves them in
// a save area below every upcall's ExceptionFrame and loads them back when the handler returns,
// so a handler may read or replace them (Threads.cs does). The area is XSAVE's standard form
// for the features XCR0 enables (FXSAVE's 512 bytes without XSAVE), 64-byte aligned. With XSAVE
// the entry saves only the SSE component (what compiled C#, x86-64-v2 without VEX, can change);
// Of completes the area (x87, AVX) first, so a handler that uses x87 or AVX registers itself
// (assembly, intrinsics) must call Of before it does. Missing: AVX-512 (the kernel does not enable it).
using System.Runtime;
using System.Runtime.CompilerServices;
using ExoSharp.Abi;

namespace ExoSharp.LibOS.ExOS
{
    public static unsafe class ExtendedState
    {
        [RuntimeImport("exo_xstate_mask")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern ulong ReadMask();

        [RuntimeImport("exo_xstate_size")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern ulong ReadSize();

        [RuntimeImport("exo_xstate_reserve")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern ulong ReadReserve();

        /// <summary>The state components saved (XCR0: bit 0 x87, 1 SSE, 2 AVX); 0 when only
        /// FXSAVE is available (x87 and SSE).</summary>
        public static ulong Mask => ReadMask();

        /// <summary>Bytes in a save area.</summary>
        public static int Size => (int)ReadSize();

        /// <summary>Whether the upper halves of the ymm registers are saved (AVX on).</summary>
        public static bool HasAvx => (ReadMask() & 4) != 0;

        [RuntimeImport("exo_xstate_complete")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern void Complete(byte* area);

        /// <summary>The save area of the upcall whose frame this is, complete: every component the
        /// entry left in the registers is saved now, and the resume path restores all of them.
        /// Precondition: the upcall is live (its handler runs) and nothing since its entry changed
        /// x87 or AVX state (compiled C# does not).</summary>
        public static byte* Of(ExceptionFrame* frame)
        {
            byte* area = (byte*)frame - ReadReserve();
            Complete(area);
            return area;
        }

        /// <summary>The state a new thread starts with: x87 and MXCSR defaults, every register
        /// zero (XSAVE header all zero: every component in its initial state).</summary>
        public static void Initialize(byte* area)
        {
            int size = Size;
            for (int i = 0; i < size; i++) area[i] = 0;
            *(ushort*)area = 0x037F;               // FCW
            *(uint*)(area + 24) = 0x1F80;          // MXCSR: every exception masked
        }

        public static void Copy(byte* from, byte* to) => System.Buffer.MemoryCopy(from, to, Size, Size);

        /// <summary>Would XRSTOR (or FXRSTOR) accept this area? MXCSR without reserved bits and,
        /// for XSAVE, a standard-form header naming only enabled features. State that came from
        /// anywhere but this program's own saves should pass here before it is loaded.</summary>
        public static bool IsValid(byte* area)
        {
            uint mxcsrMask = *(uint*)(area + 28);
            if (mxcsrMask == 0) mxcsrMask = 0xFFBF;
            if ((*(uint*)(area + 24) & ~mxcsrMask) != 0) return false;
            ulong mask = Mask;
            if (mask == 0) return true;
            ulong* header = (ulong*)(area + 512);
            return (header[0] & ~mask) == 0 && header[1] == 0 && header[2] == 0;
        }
    }
}
