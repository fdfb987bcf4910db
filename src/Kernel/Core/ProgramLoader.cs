// Starts a boot module as a new environment: each PT_LOAD segment of the ELF64 image into
// fresh frames it holds capabilities for (file bytes copied, the rest zeroed), W and X
// honoured (NX otherwise), a stack, the argument string at its top, one time slot.
// Every field of the file is checked: a bad image is refused with a reason, never trusted.
using ExoSharp.Abi;
using ExoSharp.Kernel.X64;
using ExoSharp.Shared;

namespace ExoSharp.Kernel.Core;

internal static unsafe class ProgramLoader
{
    /// <summary>The new, runnable environment, or null (with a console line saying why).</summary>
    public static Environment Start(BootModule module)
    {
        // Command line "path name args...": the program sees "name args...".
        string commandLine = module.CommandLine;
        int skip = commandLine.IndexOf(' ');
        string arguments = skip < 0 ? "" : commandLine.Substring(skip + 1);
        int nameLength = arguments.IndexOf(' ');
        string name = arguments.Length == 0 ? "program" : nameLength < 0 ? arguments : arguments.Substring(0, nameLength);
        Accounts.Charging = Accounts.Root;      // boot programs are the machine's
        Environment env = Start(module.Image, name, arguments);
        Accounts.Charging = null;
        return env;
    }

    private static Environment Start(ElfImage image, string name, string arguments)
    {
        Environment env = EnvTable.Create(name, 0, Accounts.Root);
        if (env == null)
        {
            Console.Write("kernel: program ");
            Console.Write(name);
            Console.WriteLine(" not started: no room for another environment");
            return null;
        }
        string problem = Load(env, image, arguments);
        long slot = problem == null && env.Capabilities.Reserve(1) ? Scheduler.Allocate(env, Capability.AnySlot) : -1;
        if (problem == null && slot < 0) problem = "no free time slot";
        if (problem == null) Authority.GrantSlot(env, (int)slot, null);
        env.WriteLinePrefix();
        if (problem != null)
        {
            Console.Write("not started: ");
            Console.WriteLine(problem);
            EnvTable.Destroy(env, PowerOff.StatusKilled);
            return null;
        }
        Console.WriteLine("started");
        env.Runnable = true;
        EnvTable.Publish(env);
        return env;
    }

    private static string Load(Environment env, ElfImage image, string arguments)
    {
        string problem = image.Validate();
        if (problem != null) return problem;
        problem = ElfLoader.Load(image, new Pages(env));
        if (problem != null) return problem;
        if ((env.Space.Query(image.Entry) & AddressSpace.Present) == 0) return "entry point outside the loaded image";

        ulong stackBottom = UserLayout.StackTop - UserLayout.StackSize;
        byte* top = null;
        for (ulong page = stackBottom; page < UserLayout.StackTop; page += AddressSpace.PageSize)
            if (!Mappings.MapNewFrame(env, page, PageFlags.Writable, out top)) return "out of memory for the stack";
        // The argument string goes in the stack's top page (a NUL after it), rsp below it.
        ulong argumentAddress = UserLayout.StackTop - UserLayout.MaxArguments - 16;
        int length = arguments.Length < UserLayout.MaxArguments ? arguments.Length : UserLayout.MaxArguments;
        for (int i = 0; i < length; i++) top[(argumentAddress & 4095) + (ulong)i] = (byte)arguments[i];
        TrapFrame* frame = env.Frame;
        frame->Rip = image.Entry;
        frame->Rsp = argumentAddress - 64;
        frame->Rdi = argumentAddress;
        frame->Rsi = (ulong)length;
        return null;
    }

    /// <summary>The new environment's pages for ElfLoader: fresh frames, or a page two segments share widened.</summary>
    private sealed class Pages : IElfPages
    {
        private readonly Environment _env;

        public Pages(Environment env) => _env = env;

        public bool Fits(ulong address, ulong size) =>
            AddressSpace.IsUserRange(address, size) && address + size <= UserLayout.StackTop - UserLayout.StackSize - AddressSpace.PageSize;

        public byte* Begin(ulong page, bool writable, bool executable)
        {
            ulong pageFlags = (writable ? PageFlags.Writable : 0) | (executable ? PageFlags.Executable : 0);
            ulong existing = _env.Space.Query(page);
            if ((existing & AddressSpace.Present) != 0)
            {
                // Two segments share this page: it gets the union of their permissions.
                ulong widened = existing | (pageFlags & PageFlags.Writable);
                if (executable) widened &= ~AddressSpace.NoExecute;
                if (!_env.Space.Set(page, widened)) return null;      // out of memory for the reverse map
                return Memory.Pointer(existing & AddressSpace.AddressMask);
            }
            return Mappings.MapNewFrame(_env, page, pageFlags, out byte* frame) ? frame : null;
        }

        public bool End(ulong page) => true;
    }
}
