// The auxiliary vector's keys (Linux's include/uapi/linux/auxvec.h and elf.h values, the ABI
// every static libc reads at startup). The library OS provides every key listed here.
namespace ExoSharp.LibOS.Linux.Loader
{
    public static class AuxVector
    {
        public const ulong Null = 0, ProgramHeaders = 3, ProgramHeaderSize = 4, ProgramHeaderCount = 5,
            PageSize = 6, Base = 7, Flags = 8, Entry = 9, Uid = 11, EffectiveUid = 12, Gid = 13,
            EffectiveGid = 14, Platform = 15, HardwareCapabilities = 16, ClockTicks = 17, Secure = 23,
            Random = 25, ExecutableName = 31;
    }
}
