// Ends the machine: QEMU's isa-debug-exit device (port 0xf4: QEMU exits with 2 * value + 1),
// then QEMU's ACPI power-off port, then halt (on a PC without either device). The status is
// a mechanism the library OS drives: whoever holds the machine capability (the first
// environment is given it at boot) sets it with MachineStatus; nobody set it: 126 (ExOS sets it
// when its holder exits, so the first program's exit status; never set: it was killed). 127:
// a kernel panic. README.md has the convention.
using ExoSharp.Abi;
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Core;

internal static class PowerOff
{
    public const int StatusKilled = 126;
    public const int StatusPanic = 127;
    public const ulong MaxStatus = 126;        // 126: a program reports that the one it ran was killed (init)

    private static int s_status = -1;

    /// <summary>The status Exit will be given when no environment is left.</summary>
    public static int Status(bool anyProgram) => s_status >= 0 ? s_status : anyProgram ? StatusKilled : 0;

    /// <summary>MachineStatus(machine, status).</summary>
    public static unsafe long SetStatus(Environment env, ulong handle, ulong status)
    {
        if (env.Capabilities.Lookup(handle, CapabilityType.Machine) == null) return (long)Error.BadHandle;
        if (status > MaxStatus) return (long)Error.BadArgument;
        s_status = (int)status;
        return 0;
    }

    public static void Exit(int status)
    {
        Cpu.OutDword(0xF4, (uint)status);
        Cpu.OutWord(0x604, 0x2000);
        Cpu.HaltForever();
    }
}
