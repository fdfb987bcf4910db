// A second library file system on the same XN disk, with a layout of its own: an append-only log
// whose root block is a list of extents (start, count) of data blocks, described to XN by one
// owns UDF that emits one record per extent, so twelve contiguous blocks are one pointer and one
// record (XOK needed a UDF slot per pointer). It shares the disk with ExOS's file system
// (tests/Boot/xn-two-filesystems.test); neither can touch the other's blocks.
using ExoSharp.Abi;
using ExoSharp.Apps.Executive;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Disk
{
    internal static unsafe class Extents
    {
        private const ulong Key = 0x6C6F_675F_5EC5_1D00;
        private const int MaxExtents = 64;
        private static readonly int[] Sizes = { 1, 5, 12 };

        /// <summary>For each of the MaxExtents (start, count) pairs with count != 0: emit (start, count, data).</summary>
        private static ProgramInstruction[] ExtentList()
        {
            var code = new ProgramInstruction[1 + 5 * MaxExtents];
            for (int i = 0; i < MaxExtents; i++)
            {
                code[5 * i] = new ProgramInstruction(0xc0, 0, 0, (uint)(8 * i + 4));    // ld ctx[count]
                code[5 * i + 1] = new ProgramInstruction(0x15, 3, 0, 0);                // jeq #0: skip the rest
                code[5 * i + 2] = new ProgramInstruction(0x07, 0, 0, 0);                // tax: X = count
                code[5 * i + 3] = new ProgramInstruction(0xc0, 0, 0, (uint)(8 * i));    // ld ctx[start]
                code[5 * i + 4] = new ProgramInstruction(0x57, 0, 0, 0);                // emit (start, count, data)
            }
            code[5 * MaxExtents] = new ProgramInstruction(0x06, 0, 0, 0);
            return code;
        }

        public static int Main(string arguments)
        {
            byte* name = stackalloc byte[3];
            name[0] = (byte)'l'; name[1] = (byte)'o'; name[2] = (byte)'g';
            ulong rootBlock = ulong.MaxValue;
            long root = SystemCall.XnRootOpen(name, 3, Key, &rootBlock);       // root: the XnRoot capability
            if (root == (long)Error.NoSuchBlock)
            {
                ProgramInstruction[] udf = ExtentList();
                long type;
                fixed (ProgramInstruction* p = udf) type = SystemCall.XnTemplate(p, udf.Length);
                if (type < 0) return Fail("template: " + ExecutiveText.Result(type));
                SystemCall.XnSync(0);
                rootBlock = FreeRun(1);
                root = SystemCall.XnRootCreate(name, 3, Key, rootBlock, (ulong)type);
            }
            if (root < 0) return Fail("root: " + ExecutiveText.Result(root));
            ulong handle = (ulong)root;
            long r = SystemCall.XnFetch(handle, rootBlock);
            if (r < 0) return Fail("fetch the root: " + ExecutiveText.Result(r));
            uint* pairs = stackalloc uint[2 * MaxExtents];
            SystemCall.XnRead(handle, rootBlock, 0, (byte*)pairs, 8 * MaxExtents);
            int used = 0;
            while (used < MaxExtents && pairs[2 * used + 1] != 0) used++;
            int failures = 0;
            byte* block = stackalloc byte[4096];
            foreach (int size in Sizes)
            {
                if (used == MaxExtents) break;
                ulong start = FreeRun(size);
                pairs[2 * used] = (uint)start;
                pairs[2 * used + 1] = (uint)size;
                var change = new XnChange { Block = rootBlock, Offset = (ulong)(8 * used), Bytes = (ulong)(pairs + 2 * used), Length = 8, First = start, Count = (ulong)size, Root = handle };
                r = SystemCall.XnAlloc(&change);
                if (r < 0) { failures++; System.Console.WriteLine("extents: allocating " + size.ToString() + " blocks WRONG: " + ExecutiveText.Result(r)); continue; }
                for (int b = 0; b < size; b++)
                {
                    Fill(block, used, b);
                    var data = new XnChange { Block = start + (ulong)b, Offset = 0, Bytes = (ulong)block, Length = 4096, Root = handle };
                    if (SystemCall.XnWrite(&data) < 0) failures++;
                }
                used++;
            }
            r = SystemCall.XnSync(handle);
            if (r < 0) failures++;
            int blocks = 0, bad = 0;
            for (int e = 0; e < used; e++)
                for (uint b = 0; b < pairs[2 * e + 1]; b++)
                {
                    blocks++;
                    ulong number = pairs[2 * e] + b;
                    SystemCall.XnEvict(handle, number);          // so the read comes from the disk (NotInCore when it is not cached)
                    if (SystemCall.XnFetch(handle, number) < 0 || SystemCall.XnRead(handle, number, 0, block, 4096) < 0 || !Holds(block, e, (int)b)) bad++;
                }
            failures += bad;
            System.Console.WriteLine("extents: the log holds " + used.ToString() + " extents, " + blocks.ToString() + " blocks, one owns record each; read back from the disk: " +
                                     (bad == 0 ? "as written" : bad.ToString() + " blocks WRONG"));
            return failures == 0 ? 0 : 1;
        }

        /// <summary>The first run of count free blocks in the registry window (0: none).</summary>
        private static ulong FreeRun(int count)
        {
            XnInfo info;
            SystemCall.XnInfo(&info);
            var registry = (BlockRecord*)UserLayout.BlockRegistry;
            int run = 0;
            for (ulong b = info.FirstBlock; b < info.Blocks; b++)
            {
                run = registry[b].State == BlockRecord.Free ? run + 1 : 0;
                if (run == count) return b + 1 - (ulong)count;
            }
            return 0;
        }

        private static void Fill(byte* block, int extent, int index)
        {
            for (int i = 0; i < 4096; i++) block[i] = (byte)(extent * 37 + index * 11 + i);
        }

        private static bool Holds(byte* block, int extent, int index)
        {
            for (int i = 0; i < 4096; i++)
                if (block[i] != (byte)(extent * 37 + index * 11 + i)) return false;
            return true;
        }

        private static int Fail(string why)
        {
            System.Console.WriteLine("extents: " + why);
            return 1;
        }
    }
}
