// Starts the first program among the boot modules and shows it every module, read-only,
// with a BootDirectory at UserLayout.BootModules: spawning the others is the library OS's
// business, not the kernel's. The first environment also gets the machine capability
// (BootDirectory.Machine), with which it sets the status the machine powers off with
// (PowerOff) when no environment is left or none can ever run again, and the console
// capability (BootDirectory.Console), with which it receives the console's input (ConsoleInput).
using ExoSharp.Abi;
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Core;

internal static unsafe class BootSequence
{
    private static ulong s_firstId;

    /// <summary>Starts the first program. Precondition: frames, tables and the scheduler work.</summary>
    public static void Start(BootInfo boot)
    {
        BootModule[] programs = boot.Modules;
        int count = programs.Length;
        if (count == 0) return;
        Environment first = ProgramLoader.Start(programs[0]);
        if (first == null) return;
        s_firstId = first.Id;
        ulong machine = first.Capabilities.Insert(CapabilityType.Machine, 0, true);
        ulong console = first.Capabilities.Insert(CapabilityType.Console, 0, false);
        if (!ShowModules(first, programs, count, machine, console))
            Console.WriteLine("kernel: not enough memory to show the boot modules to the first program");
    }

    private static bool ShowModules(Environment env, BootModule[] programs, int count, ulong machine, ulong console)
    {
        ulong* page = Memory.AllocateZeroedFrame();
        if (page == null) return false;
        ulong pageFrame = Memory.PhysicalOf(page) / 4096;
        FrameTable.Pin(pageFrame);
        var directory = (BootDirectory*)page;
        directory->Machine = machine;
        directory->Console = console;
        byte* text = (byte*)page + sizeof(BootDirectory);
        byte* textEnd = (byte*)page + 4096;
        ulong at = UserLayout.BootModules + 4096;
        for (int i = 0; i < count && i < BootDirectory.MaxModules; i++)
        {
            BootModule module = programs[i];
            ulong size = module.End - module.Start;
            directory->Address[i] = at + (module.Start & 4095);
            directory->Size[i] = size;
            string line = module.CommandLine;
            if (text + line.Length > textEnd) break;
            directory->CommandLine[i] = UserLayout.BootModules + (ulong)(text - (byte*)page);
            directory->CommandLineLength[i] = (ulong)line.Length;
            for (int c = 0; c < line.Length; c++) *text++ = (byte)line[c];
            for (ulong frame = module.Start / 4096; frame < (module.End + 4095) / 4096; frame++)
            {
                FrameTable.Pin(frame);
                if (!Mappings.MapPinnedFrame(env, at, frame)) return false;
                at += 4096;
            }
            directory->Count = (ulong)(i + 1);
        }
        return Mappings.MapPinnedFrame(env, UserLayout.BootModules, pageFrame);
    }

    /// <summary>Called when no environment is runnable: ends the ones that can never run,
    /// then powers off. Never returns.</summary>
    public static void NothingRunnable()
    {
        if (EnvTable.LiveCount > 0)
        {
            Console.Format("kernel: no environment can run; ending the {} that remain\n", (ulong)EnvTable.LiveCount);
            EnvTable.DestroyAll();
        }
        int status = PowerOff.Status(s_firstId != 0);
        if (s_firstId == 0) Console.WriteLine("kernel: no program to run (pass one as a boot module)");
        KernelStats.Print();
        ConsoleInput.Print();
        Console.Format("kernel: all environments have ended; powering off with status {}\n", (ulong)status);
        PowerOff.Exit(status);
    }
}
