// spawn: a new environment running an ELF image this environment can read (a boot module),
// built entirely in user space (JOS's spawn): exofork, frames filled through a scratch
// mapping, mapped into the child with the segments' permissions, a stack with the argument
// string on top, registers, a name, a slot. The kernel holds no loader policy.
// Missing: sharing read-only pages instead of copying them.
using ExoSharp.Abi;
using ExoSharp.Shared;

namespace ExoSharp.LibOS.ExOS
{
    public static unsafe class Spawn
    {
        private const ulong PageSize = 4096;

        /// <summary>The child's handle, or a negative Abi.Error. arguments: "name args..." (ExOS's
        /// options first; the inherited gc= option, Startup.InheritedOption, is added when they
        /// have none).</summary>
        public static long Image(byte* image, ulong size, string arguments)
        {
            if (Startup.InheritedOption != null)
            {
                Startup.WithoutOptions(arguments, out string gcMode);
                if (gcMode == null) arguments = Startup.InheritedOption + " " + arguments;
            }
            var elf = new ElfImage(image, size);
            if (elf.Validate() != null) return (long)Error.BadArgument;
            ulong argumentAddress = UserLayout.StackTop - UserLayout.MaxArguments - 16;
            ulong length = (ulong)(arguments.Length < UserLayout.MaxArguments ? arguments.Length : UserLayout.MaxArguments);
            long child = Process.CreateChild(elf.Entry, argumentAddress - 64, argumentAddress, length);
            if (child < 0) return child;
            long r = Load(child, elf);
            if (r >= 0) r = Stack(child, arguments, argumentAddress);
            if (r >= 0) r = Name(child, arguments);
            if (r >= 0) r = Process.Start((ulong)child);
            if (r < 0)
            {
                SystemCall.EnvDestroy((ulong)child);
                return r;
            }
            return child;
        }

        /// <summary>The child's pages for ElfLoader: each filled in a scratch frame, then given.
        /// A page two segments share is refused (ExOS's linker script never makes one).</summary>
        private sealed class Pages : IElfPages
        {
            private readonly long _child;
            private long _frame;
            private ulong _flags, _last = ulong.MaxValue;
            public long Error;

            public Pages(long child) => _child = child;

            public bool Fits(ulong address, ulong size) => address >= UserLayout.Base && size <= UserLayout.StackTop - UserLayout.StackSize - address;

            public byte* Begin(ulong page, bool writable, bool executable)
            {
                if (page == _last) { Error = (long)Abi.Error.BadArgument; return null; }
                _frame = Scratch(out byte* memory);
                if (_frame < 0) { Error = _frame; return null; }
                _flags = (writable ? PageFlags.Writable : 0) | (executable ? PageFlags.Executable : 0);
                return memory;
            }

            public bool End(ulong page)
            {
                _last = page;
                long r = Give(_child, page, _frame, _flags);
                if (r < 0) Error = r;
                return r >= 0;
            }
        }

        private static long Load(long child, ElfImage elf)
        {
            var pages = new Pages(child);
            string problem = ElfLoader.Load(elf, pages);
            return problem == null ? 0 : pages.Error < 0 ? pages.Error : (long)Error.BadArgument;
        }

        private static long Stack(long child, string arguments, ulong argumentAddress)
        {
            for (ulong page = UserLayout.StackTop - UserLayout.StackSize; page < UserLayout.StackTop; page += PageSize)
            {
                long frame = Scratch(out byte* memory);
                if (frame < 0) return frame;
                if (page == (argumentAddress & ~(PageSize - 1)))
                    for (int i = 0; i < arguments.Length && i < UserLayout.MaxArguments; i++)
                        memory[(argumentAddress & (PageSize - 1)) + (ulong)i] = (byte)arguments[i];
                long r = Give(child, page, frame, PageFlags.Writable);
                if (r < 0) return r;
            }
            return 0;
        }

        private static long Name(long child, string arguments)
        {
            arguments = Startup.WithoutOptions(arguments, out _);
            int length = arguments.IndexOf(' ');
            if (length < 0) length = arguments.Length;
            if (length == 0) return 0;
            if (length > 32) length = 32;
            byte* name = stackalloc byte[length];
            for (int i = 0; i < length; i++) name[i] = (byte)arguments[i];
            return SystemCall.Invoke(Syscall.EnvSetName, (ulong)child, (ulong)name, (ulong)length);
        }

        /// <summary>A fresh frame, mapped here at the scratch page for filling.</summary>
        private static long Scratch(out byte* memory)
        {
            memory = (byte*)Layout.TempPage;
            long frame = SystemCall.FrameAlloc();
            if (frame < 0) return frame;
            long r = SystemCall.PageMap(Capability.Self, Layout.TempPage, (ulong)frame, PageFlags.Writable);
            return r < 0 ? r : frame;
        }

        /// <summary>Moves a filled scratch frame into the child; this environment keeps nothing.</summary>
        private static long Give(long child, ulong page, long frame, ulong flags)
        {
            long r = SystemCall.PageMap((ulong)child, page, (ulong)frame, flags);
            SystemCall.PageUnmap(Capability.Self, Layout.TempPage);
            SystemCall.FrameFree((ulong)frame);
            return r;
        }
    }
}
