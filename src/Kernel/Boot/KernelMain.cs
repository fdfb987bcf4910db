// The kernel's C# entry, called once by Boot/boot.asm in long mode, interrupts off. The one
// place that names every layer: it starts X64 and Core, then the subsystems beside Core (the
// executive, the network, XN), which plug themselves into Core (Core.Subsystems).
// Order matters: the heap's early arena before any allocation, module initialisation
// (static fields) before any static reference is touched, the IDT before anything can fault.
using System.Runtime;
using System.Runtime.CompilerServices;
using Internal.Runtime.CompilerHelpers;
using ExoSharp.Kernel.Core;
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Boot;

internal static unsafe class KernelMain
{
    public const string Version = "0.1.0";

    [RuntimeExport("ExoSharpKernelMain")]
    public static void Main(uint magic, ulong info, BootSymbols* symbols)
    {
        Serial.Initialize();
        Console.WriteLine("ExoSharp " + Version + " (x86-64 exokernel in C#)");
        Memory.InitializeEarly(*symbols);
        StartupCodeHelpers.InitializeModules((nint*)symbols->ModulesStart, (nint*)symbols->ModulesEnd);
        ExoSharp.Tests.Kernel.AsmContract.Check((ulong*)symbols->AsmContract);
        Gdt.LoadTss(symbols->GdtTssSlot, symbols->TrapStackTop, symbols->DoubleFaultStackTop);
        Scheduler.Initialize(symbols->CurrentIdCell, symbols->ContextEndCell, symbols->CurrentIndexCell, symbols->ForeignLimitCell, symbols->FsOwnerCell);   // before any trap: Running.Sync reads its cell
        Idt.Load(symbols->IsrTable);
        ExtendedState.Initialize();
        if (magic != Multiboot.BootloaderMagic) Panic.Halt("not started by a multiboot loader");
        var multiboot = new Multiboot(Memory.Pointer(info));
        if (!multiboot.HasMemoryMap) Panic.Halt("the boot loader gave no memory map");
        BootInfo boot = BootInfo.Read(multiboot);
        KernelStats.Initialize(symbols->KernelStatsCell, boot.Option("fastpath") == "off");
        Memory.InitializeFrames(boot, *symbols);
        Memory.ProtectImage(*symbols);
        Collector.Initialize(symbols, boot.Option("gc"));
        Executive.CodePages.Initialize();
        EnvFast.Initialize(symbols->EnvFastTable);
        ulong rows = symbols->EnvFastTable, rowsEnd = rows + (ulong)(Abi.Capability.MaxEnvironments * sizeof(EnvFast));
        if (symbols->TrapStackTop > rows && symbols->TrapStackTop - 65536 < rowsEnd)
            Panic.Halt("the trap stack overlaps the EnvFast rows (stubs.asm's .bss layout)");
        EnvTable.Initialize(symbols->EnvRecordsCell);
        Console.Format("kernel: {} KiB free memory, {} boot modules\n", Memory.Frames.FreeCount * 4, (ulong)boot.Modules.Length);
        Pic.Initialize();
        ConsoleInput.Initialize();
        WallClock.Initialize();
        Pit.Initialize();
        Msr.EnableSyscall(symbols->SyscallEntry);
        UpcallCache.Initialize(symbols->UpcallCacheCell);
        Executive.KernelExecutive.Initialize();
        Net.Network.Initialize(Abi.Capability.MaxEnvironments);
        if (Devices.VirtioBlock.Initialize())
            Console.Format("kernel: disk: virtio-blk, {} blocks of 4 KiB\n", Devices.VirtioBlock.Blocks);
        ulong mountStart = Cpu.ReadTsc();
        Xn.XnService.Initialize();
        KernelStats.NoteMount(mountStart);
        string cpuLimit = boot.Option("cpulimit");
        if (cpuLimit != null) TimeLimit.Configure(ParseDecimal(cpuLimit));
        string execBudget = boot.Option("execbudget");
        if (execBudget != null && ParseDecimal(execBudget) > 0) Executive.ExecutiveBudget.Configure(ParseDecimal(execBudget));
        if (boot.Option("selfcheck") == "on") ExoSharp.Tests.Kernel.Invariants.Enable();
        if (boot.Option("capgen") == "near")        // test only: generations start 3 short of retiring
        {
            CapabilityTable.InitialGeneration = Abi.Capability.MaxGeneration - 3;
            EnvTable.StartGenerationsAt(Abi.Capability.MaxEnvGeneration - 3);
        }
        string selfTest = boot.Option("selftest");
        if (selfTest != null) ExoSharp.Tests.Kernel.SelfTest.Run(selfTest);
        Accounts.OpenMachine(Memory.Frames.FreeCount);
        BootSequence.Start(boot);
        KernelStats.EndBoot();
        Scheduler.RunNext();
    }

    private static ulong ParseDecimal(string text)
    {
        ulong value = 0;
        for (int i = 0; i < text.Length && text[i] >= '0' && text[i] <= '9' && value < 1_000_000; i++)
            value = value * 10 + (ulong)(text[i] - '0');
        return value;
    }

    /// <summary>A throw the kernel does not catch is a panic: print the exception's type,
    /// message and stack trace, as addresses (tools/symbolize.py names them).</summary>
    [RuntimeExport("ExoSharpUnhandledException")]
    public static void UnhandledException(object exception)
    {
        Console.Write("kernel: unhandled exception ");
        if (exception == null)
        {
            Console.WriteLine("System.OutOfMemoryException (the heap is exhausted)");
        }
        else
        {
            Console.Format("{x}: ", *(ulong*)Unsafe.As<object, nint>(ref exception));
            Console.WriteLine(((System.Exception)exception).Message);
            for (int i = 0; i < Internal.Runtime.ExceptionTrace.Count && i < 16; i++)
                Console.Format("    at {x}\n", Internal.Runtime.ExceptionTrace.Frame(i));
        }
        Panic.Halt("unhandled exception in the kernel");
    }
}
