// selftest=xn: XN's core running inside the kernel (the corelib, interface dispatch, the
// executive's interpreter) on a RAM disk: format, mount, a template, a root, an inode with a data
// block, a forged pointer refused, ordered writeback, and a remount that finds the same tree and
// reads the data block back into a cache page: a pinned frame of the direct map (FramePages), as the
// kernel will map it. Missing: a real disk and system calls (the next step wires XnVolume to virtio-blk).
using ExoSharp.Abi;
using ExoSharp.Executive.Bytecode;
using ExoSharp.Kernel.Core;
using ExoSharp.Kernel.Xn;
using ExoSharp.Xn;

namespace ExoSharp.Tests.Kernel
{
    internal static unsafe class XnSelfTest
    {
        private const uint Owner = 1;

        public static void Run()
        {
            var disk = new RamDisk(64);
            var pages = new FramePages();
            Error error = XnVolume.Format(disk, 64, pages);
            if (error != 0) { Fail("format", error); return; }
            var xn = new XnVolume(disk, new InterpretingOwnsRunner(), 16, pages);
            disk.Sink = xn;
            if (!xn.Mount().IsConsistent) { Fail("mount", Error.BadArgument); return; }

            // owns(inode): the words at offsets 8 and 12 are data blocks when non-zero.
            var inode = new Instruction[]
            {
                Instruction.Statement(Opcode.Ldx | Opcode.Imm, 1),
                Instruction.Statement(Opcode.Ld | Opcode.W | Opcode.Ctx, 8),
                Instruction.Jump(Opcode.Jmp | Opcode.Jeq | Opcode.K, 0, 1, 0),
                Instruction.Statement(Opcode.Misc | Opcode.Emit, 0),
                Instruction.Statement(Opcode.Ld | Opcode.W | Opcode.Ctx, 12),
                Instruction.Jump(Opcode.Jmp | Opcode.Jeq | Opcode.K, 0, 1, 0),
                Instruction.Statement(Opcode.Misc | Opcode.Emit, 0),
                Instruction.Statement(Opcode.Ret | Opcode.RetK, 0),
            };
            error = xn.RegisterTemplate(inode, out uint type, out _);
            if (error != 0) { Fail("template", error); return; }
            Flush(xn, disk);
            uint root = XnLayout.FirstAllocatable, data = root + 1, stranger = root + 2;
            var name = new byte[] { (byte)'s', (byte)'e', (byte)'l', (byte)'f' };
            error = xn.CreateRoot(Owner, name, root, type, out _);
            if (error != 0) { Fail("root", error); return; }
            error = xn.Alloc(Owner, root, 8, Word(data), data, 1, 0);
            if (error != 0) { Fail("alloc", error); return; }
            error = xn.WriteData(Owner, data, 0, Word(0x584E));
            if (error != 0) { Fail("write", error); return; }
            Error forged = xn.WriteMetadata(Owner, root, 12, Word(stranger));
            Error tainted = xn.StartWrite(root);
            Flush(xn, disk);

            bool written = CachedWord(xn, data) == 0x584E;

            var again = new XnVolume(disk, new InterpretingOwnsRunner(), 16, pages);
            disk.Sink = again;
            MountReport report = again.Mount();
            bool fetched = again.Fetch(Owner, data) == 0 && !again.IsReadable(data);
            disk.Drain();
            fetched = fetched && again.IsReadable(data) && CachedWord(again, data) == 0x584E;
            bool ok = forged == Error.ForgedPointer && tainted == Error.Tainted && report.IsConsistent &&
                report.Reachable == 2 && again.Entry(data).Parent == root && again.IsFree(stranger) &&
                written && fetched;
            Console.Write(ok ? "kernel: xn ok, " : "kernel: xn FAILED, ");
            Console.WriteDecimal((ulong)report.Reachable);
            Console.Write(" blocks reachable after remount, forged pointer refused with ");
            Console.WriteDecimal((ulong)(-(long)forged));
            Console.Write(", tainted root held back with ");
            Console.WriteDecimal((ulong)(-(long)tainted));
            Console.WriteLine("");
        }

        private static void Flush(XnVolume xn, RamDisk disk)
        {
            uint[] ready = new uint[16];
            for (int round = 0; round < 8; round++)
            {
                int n = xn.Writeback(ready);
                if (n == 0) return;
                for (int i = 0; i < n; i++) xn.StartWrite(ready[i]);
                disk.Drain();
            }
        }

        /// <summary>The first word of the block's cache page, read through its frame's direct-map
        /// address (what a read-only mapping of the frame would show); 0 when the page is not a frame.</summary>
        private static uint CachedWord(XnVolume xn, uint block)
        {
            if (!xn.CachedPage(block, out byte* page, out ulong frame) || ((ulong)page & 4095) != 0) return 0;
            if (Memory.Pointer(frame * FrameAllocator.FrameSize) != page) return 0;
            return *(uint*)page;
        }

        private static byte[] Word(uint value) =>
            new byte[] { (byte)value, (byte)(value >> 8), (byte)(value >> 16), (byte)(value >> 24) };

        private static void Fail(string step, Error error)
        {
            Console.Write("kernel: xn FAILED at ");
            Console.Write(step);
            Console.Write(": error ");
            Console.WriteDecimal((ulong)(-(long)error));
            Console.WriteLine("");
        }
    }
}
