// Names of the CPU exception vectors (Intel SDM vol. 3, table 6-1; ExceptionFrame.Vector
// carries them), for console lines: the kernel's panics and kill lines, and ExOS's own account
// of a fault it ends on (Abort).
namespace ExoSharp.Abi
{
    public static class ExceptionNames
    {
        public const int DoubleFault = 8;
        public const int GeneralProtection = 13;
        public const int PageFault = 14;

        public static string Of(ulong vector) => vector switch
        {
            0 => "divide error (#DE)",
            1 => "debug (#DB)",
            2 => "non-maskable interrupt (NMI)",
            3 => "breakpoint (#BP)",
            4 => "overflow (#OF)",
            5 => "bound range exceeded (#BR)",
            6 => "invalid opcode (#UD)",
            7 => "device not available (#NM)",
            8 => "double fault (#DF)",
            10 => "invalid TSS (#TS)",
            11 => "segment not present (#NP)",
            12 => "stack-segment fault (#SS)",
            13 => "general protection fault (#GP)",
            14 => "page fault (#PF)",
            16 => "x87 floating-point error (#MF)",
            17 => "alignment check (#AC)",
            18 => "machine check (#MC)",
            19 => "SIMD floating-point exception (#XM)",
            20 => "virtualization exception (#VE)",
            21 => "control protection exception (#CP)",
            _ => "reserved exception",
        };
    }
}
