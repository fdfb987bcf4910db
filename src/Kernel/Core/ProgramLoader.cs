// Loads an ELF64 program (a boot module) into a fresh address space: each PT_LOAD segment
// into newly allocated frames (file bytes copied, the rest zeroed), W and X flags honoured
// (NX otherwise), then the stack and the argument string at its top.
// Every field of the file is checked: a bad image is refused with a reason, never trusted.
using ExoSharp.Abi;
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Core
{
    internal static unsafe class ProgramLoader
    {
        /// <summary>Null on success (entry filled in), else why the program cannot run.</summary>
        public static string Load(ElfImage image, AddressSpace space, string arguments, out UserEntry entry)
        {
            entry = default;
            string problem = image.Validate();
            if (problem != null) return problem;
            for (int i = 0; i < image.ProgramHeaderCount; i++)
            {
                if (image.SegmentType(i) != ElfImage.PtLoad) continue;
                problem = LoadSegment(image, space, i);
                if (problem != null) return problem;
            }
            ulong start = image.Entry;
            if ((space.Query(start) & AddressSpace.Present) == 0) return "entry point outside the loaded image";

            ulong stackBottom = UserLayout.StackTop - UserLayout.StackSize;
            for (ulong page = stackBottom; page < UserLayout.StackTop; page += AddressSpace.PageSize)
            {
                ulong* frame = Memory.AllocateZeroedFrame();
                if (frame == null || !space.Map(page, (ulong)frame, AddressSpace.Writable | AddressSpace.NoExecute))
                    return "out of memory for the stack";
            }
            // The argument string goes at the top of the stack (a NUL after it), rsp below it.
            ulong argumentAddress = UserLayout.StackTop - UserLayout.MaxArguments - 16;
            byte* target = (byte*)(space.Query(argumentAddress) & AddressSpace.AddressMask) + (argumentAddress & 4095);
            int argumentLength = arguments.Length < UserLayout.MaxArguments ? arguments.Length : UserLayout.MaxArguments;
            for (int i = 0; i < argumentLength; i++) target[i] = (byte)arguments[i];
            entry.Rip = start;
            entry.Rsp = argumentAddress - 64;
            entry.Arg0 = argumentAddress;
            entry.Arg1 = (ulong)argumentLength;
            entry.Rflags = 0x202;                 // IF set: the timer runs while the user does
            return null;
        }

        private static string LoadSegment(ElfImage image, AddressSpace space, int i)
        {
            ulong address = image.SegmentAddress(i), memorySize = image.SegmentMemorySize(i);
            ulong fileSize = image.SegmentFileSize(i), offset = image.SegmentOffset(i);
            uint flags = image.SegmentFlags(i);
            if (memorySize == 0) return null;
            if (fileSize > memorySize || !image.Within(offset, fileSize)) return "segment outside the file";
            if (!AddressSpace.IsUserRange(address, memorySize) || address + memorySize > UserLayout.StackTop - UserLayout.StackSize - AddressSpace.PageSize)
                return "segment outside user space";
            ulong pageFlags = ((flags & ElfImage.PfWrite) != 0 ? AddressSpace.Writable : 0) |
                              ((flags & ElfImage.PfExecute) != 0 ? 0 : AddressSpace.NoExecute);
            for (ulong page = address & ~4095UL; page < address + memorySize; page += AddressSpace.PageSize)
            {
                ulong existing = space.Query(page);
                byte* frame;
                if ((existing & AddressSpace.Present) != 0)
                {
                    space.Widen(page, pageFlags & AddressSpace.Writable, (pageFlags & AddressSpace.NoExecute) == 0);
                    frame = (byte*)(existing & AddressSpace.AddressMask);
                }
                else
                {
                    frame = (byte*)Memory.AllocateZeroedFrame();
                    if (frame == null || !space.Map(page, (ulong)frame, pageFlags)) return "out of memory for the image";
                }
                // Copy the part of the file that falls in this page.
                ulong from = page > address ? page : address;
                ulong to = page + AddressSpace.PageSize < address + fileSize ? page + AddressSpace.PageSize : address + fileSize;
                for (ulong a = from; a < to; a++) frame[a - page] = image.Data[offset + (a - address)];
            }
            return null;
        }
    }
}
