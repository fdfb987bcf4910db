// A CPU fault nothing in the program handles, explained by the library OS itself (the kernel
// only reports faults and keeps no explanations): the program ends through Abort with
// "<exception>: <details> at rip <address>": for a page fault the access, the address and a
// likely reason; for a general protection fault the privileged instruction at rip, read from
// the program's own code when it is mapped. Allocates nothing (the heap may be what broke).
using ExoSharp.Abi;

namespace ExoSharp.LibOS.ExOS
{
    public static unsafe class FaultReport
    {
        /// <summary>Ends the program with the fault's account. Precondition: a CPU exception
        /// (Vector below 32).</summary>
        public static void Abort(ExceptionFrame* frame)
        {
            byte* buffer = stackalloc byte[AbortText.Capacity];
            var text = new AbortText(buffer);
            ulong vector = frame->Vector, error = frame->ErrorCode, address = frame->FaultAddress, rip = frame->Registers.Rip;
            text.Append(ExceptionNames.Of(vector));
            if (vector == ExceptionNames.PageFault)
            {
                text.Append((error & 16) != 0 ? ": execute at " : (error & 2) != 0 ? ": write to " : ": read from ");
                text.AppendHex(address);
                text.Append(" (");
                text.Append(DescribeAddress(address, error));
                text.Append(")");
            }
            else if (vector == ExceptionNames.GeneralProtection)
            {
                text.Append(": ");
                text.Append(DescribeProtectionFault(rip));
                if (error != 0)
                {
                    text.Append(", error code ");
                    text.AppendHex(error);
                }
            }
            text.Append(" at rip ");
            text.AppendHex(rip);
            text.Abort();
        }

        private static string DescribeAddress(ulong address, ulong error)
        {
            ulong stackBottom = UserLayout.StackTop - UserLayout.StackSize;
            if (address < UserLayout.Base) return "null reference";
            if (address >= 0xFFFF_8000_0000_0000) return "kernel memory";     // the upper half is the kernel's
            if (address >= UserLayout.End) return "outside user space";
            if (address < stackBottom && address >= stackBottom - 64 * 1024) return "stack overflow";
            if ((error & 1) == 0) return "not mapped";
            return (error & 2) != 0 ? "page is read-only" : (error & 16) != 0 ? "page is not executable" : "protection violation";
        }

        /// <summary>Names the privileged instruction at rip when it is one, else says the likely
        /// cause (a non-canonical address or a bad segment).</summary>
        private static string DescribeProtectionFault(ulong rip)
        {
            if (!IsMapped(rip) || !IsMapped(rip + 2)) return "bad instruction address";
            byte* code = (byte*)rip;
            byte b0 = code[0], b1 = code[1];
            if (b0 == 0xFA) return "privileged instruction (cli)";
            if (b0 == 0xFB) return "privileged instruction (sti)";
            if (b0 == 0xF4) return "privileged instruction (hlt)";
            if (b0 == 0xE6 || b0 == 0xE7 || b0 == 0xEE || b0 == 0xEF) return "privileged instruction (out)";
            if (b0 == 0xE4 || b0 == 0xE5 || b0 == 0xEC || b0 == 0xED) return "privileged instruction (in)";
            if (b0 == 0xCD) return "software interrupt (int) to a kernel-only vector";
            byte opcode = b0 >= 0x40 && b0 <= 0x4F ? b1 : b0;   // skip a REX prefix
            byte second = b0 >= 0x40 && b0 <= 0x4F ? code[2] : b1;
            if (opcode == 0x0F)
            {
                if (second == 0x22 || second == 0x20) return "privileged instruction (mov to or from a control register)";
                if (second == 0x30) return "privileged instruction (wrmsr)";
                if (second == 0x32) return "privileged instruction (rdmsr)";
                if (second == 0x01) return "privileged instruction (system table or cache control)";
            }
            return "non-canonical address or bad segment";
        }

        /// <summary>Whether the page holding address is mapped (PageInfo.Flags' bit 0: present).</summary>
        private static bool IsMapped(ulong address)
        {
            PageInfo info;
            return SystemCall.PageQuery(address & ~4095UL, &info) == 0 && (info.Flags & 1) != 0;
        }
    }
}
