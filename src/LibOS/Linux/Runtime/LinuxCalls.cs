// The Linux system calls of the foreign process, served in its own address space from the
// ForeignSyscall upcall (the registers as the `syscall` left them; the result goes in rax,
// negative errno on failure). What a static glibc or musl program needs to start, print and
// exit: write, writev, brk, anonymous mmap, arch_prctl, uname, the identity calls, clocks,
// getrandom, signal calls accepted and ignored. Every pointer is checked (EFAULT); an unknown
// call answers ENOSYS and is logged once with its number and name. A CPU fault in the foreign
// code ends the process as Linux's default signal action would (status 128 + signal).
// Missing: files, pipes, processes, real signals, file-backed mmap, munmap's freeing.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;
using ExoSharp.LibOS.ExOS.Cffs;
using ExoSharp.LibOS.Linux.Devices;
using System.Runtime;
using System.Runtime.CompilerServices;

namespace ExoSharp.LibOS.Linux.Runtime
{
    public static unsafe class LinuxCalls
    {
        [RuntimeImport("linux_set_fs")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern void WriteFsBase(ulong value);
        [RuntimeImport("linux_get_fs")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern ulong ReadFsBase();

        private static ulong s_breakStart, s_break, s_mapNext;
        private static ulong[] s_logged;           // a bit per call number logged as unknown
        public static ulong Calls;

        public static void Start(ulong breakStart)
        {
            s_breakStart = s_break = breakStart;
            s_mapNext = LinuxLayout.MapBase;
            s_logged = new ulong[64];
            ConsoleDevice.Open();           // the terminal is open before the program runs: nothing typed is lost
        }

        public static void Upcall(ExceptionFrame* frame)
        {
            Registers* r = &frame->Registers;
            if (frame->Vector != UpcallVector.ForeignSyscall)
            {
                int signal = frame->Vector == 14 || frame->Vector == 13 ? 11 : frame->Vector == 0 ? 8 : frame->Vector == 6 ? 4 : 5;
                System.Console.WriteLine("linux: signal " + signal.ToString() + " (CPU exception " + frame->Vector.ToString() + " at rip 0x" +
                    r->Rip.ToString("x") + ", address 0x" + frame->FaultAddress.ToString("x") + "): killed");
                SystemCall.Exit(128 + signal);
                return;
            }
            Calls++;
            r->Rax = (ulong)Call(r->Rax, r->Rdi, r->Rsi, r->Rdx, r->R10, r->R8, r->R9);
        }

        private static long Error(Errno e) => -(long)e;

        private static long Call(ulong number, ulong a0, ulong a1, ulong a2, ulong a3, ulong a4, ulong a5)
        {
            switch (number)
            {
                case 0: return a0 == 0 ? ConsoleDevice.Read(a1, a2) : Error(Errno.EBADF);   // read: stdin is the console
                case 1: return Write(a0, a1, a2);
                case 20: return Writev(a0, a1, a2);
                case 5: return Fstat(a0, a1);                                   // fstat
                case 262: return a3 == 0x1000 && (long)a0 >= 0 ? Fstat(a0, a2) : Error(Errno.ENOENT); // newfstatat(fd, "", st, AT_EMPTY_PATH)
                case 16: return a0 <= 2 ? ConsoleDevice.Ioctl(a1, a2) : Error(Errno.EBADF);  // ioctl: 0-2 are the terminal
                case 12: return Brk(a0);
                case 9: return Mmap(a0, a1, a2, a3, (long)a4);
                case 11: return 0;                                              // munmap: kept (no reuse yet)
                case 10: return 0;                                              // mprotect: everything stays writable
                case 28: return 0;                                              // madvise
                case 13: case 14: case 131: return 0;                           // rt_sigaction, rt_sigprocmask, sigaltstack
                case 158: return ArchPrctl(a0, a1);
                case 218: return 1;                                             // set_tid_address: the thread id
                case 273: return 0;                                             // set_robust_list
                case 334: return Error(Errno.ENOSYS);                           // rseq: glibc goes on without it
                case 39: case 186: return 1;                                    // getpid, gettid
                case 110: return 0;                                             // getppid: no parent process
                case 102: case 104: case 107: case 108: return 0;               // getuid, getgid, geteuid, getegid: root
                case 63: return Uname(a0);
                case 228: return ClockGetTime(a0, a1);
                case 96: return GetTimeOfDay(a0);
                case 318: return GetRandom(a0, a1);
                case 60: case 231: SystemCall.Exit((int)(a0 & 0xFF)); return 0; // exit, exit_group
                case 302: return Error(Errno.ENOSYS);                           // prlimit64
                // Files, descriptors and pipes.
                // Processes and signals.
                // The console and the terminal: read and ioctl on descriptors 0-2 above (Devices/ConsoleDevice.cs).
                case 7: return ConsoleDevice.Poll(a0, a1, (long)a2);                // poll: descriptors 0-2 only
                default:
                    LogUnknown(number);
                    return Error(Errno.ENOSYS);
            }
        }

        private static void LogUnknown(ulong number)
        {
            if (number < 4096 && (s_logged[number >> 6] & (1UL << (int)(number & 63))) != 0) return;
            if (number < 4096) s_logged[number >> 6] |= 1UL << (int)(number & 63);
            string name = SyscallNames.Of(number);
            System.Console.WriteLine("linux: system call " + number.ToString() + " (" + (name ?? "not a Linux call") + ") is not implemented: ENOSYS");
        }

        private static long Write(ulong fd, ulong buffer, ulong length)
        {
            if (fd != 1 && fd != 2) return Error(Errno.EBADF);
            return ConsoleDevice.Write(buffer, length);
        }

        private static long Writev(ulong fd, ulong vector, ulong count)
        {
            if (count > 1024) return Error(Errno.EINVAL);
            if (!UserPointers.Check(vector, count * 16, false)) return Error(Errno.EFAULT);
            long total = 0;
            for (ulong i = 0; i < count; i++)
            {
                ulong* iov = (ulong*)(vector + i * 16);
                long n = Write(fd, iov[0], iov[1]);
                if (n < 0) return total > 0 ? total : n;
                total += n;
            }
            return total;
        }

        private static long Fstat(ulong fd, ulong stat)
        {
            if (fd > 2) return Error(Errno.EBADF);
            if (!UserPointers.Check(stat, 144, true)) return Error(Errno.EFAULT);
            System.Runtime.InteropServices.NativeMemory.Clear((void*)stat, 144);
            *(uint*)(stat + 24) = 0x2190;                                       // st_mode: S_IFCHR | 0620
            *(ulong*)(stat + 40) = 0x8801;                                      // st_rdev: a terminal
            *(long*)(stat + 56) = 1024;                                         // st_blksize
            return 0;
        }

        private static long Brk(ulong wanted)
        {
            if (wanted <= s_break || wanted > s_breakStart + LinuxLayout.BreakLimit)
                return wanted != 0 && wanted >= s_breakStart && wanted <= s_break ? (long)(s_break = wanted) : (long)s_break;
            if (LinuxProcess.MapZeroed((s_break + 4095) & ~4095UL, wanted, PageFlags.Writable) != null) return (long)s_break;
            s_break = wanted;
            return (long)s_break;
        }

        private static long Mmap(ulong address, ulong length, ulong protection, ulong flags, long fd)
        {
            const ulong Anonymous = 0x20, Fixed = 0x10;
            if ((flags & Anonymous) == 0 || fd != -1) return Error(Errno.ENODEV);
            if (length == 0 || length > LinuxLayout.MapLimit - LinuxLayout.MapBase) return Error(Errno.EINVAL);
            ulong size = (length + 4095) & ~4095UL;
            ulong at = s_mapNext;
            if ((flags & Fixed) != 0)
            {
                if ((address & 4095) != 0 || address < LinuxLayout.Low || address >= LinuxLayout.Limit || size > LinuxLayout.Limit - address) return Error(Errno.EINVAL);
                at = address;
            }
            else if (size > LinuxLayout.MapLimit - s_mapNext) return Error(Errno.ENOMEM);
            ulong rights = PageFlags.Writable | ((protection & 4) != 0 ? PageFlags.Executable : 0);
            if (LinuxProcess.MapZeroed(at, at + size, rights) != null) return Error(Errno.ENOMEM);
            if ((flags & Fixed) != 0)
                System.Runtime.InteropServices.NativeMemory.Clear((void*)at, (nuint)size);
            else s_mapNext += size;
            return (long)at;
        }

        private static long ArchPrctl(ulong code, ulong address)
        {
            const ulong SetFs = 0x1002, GetFs = 0x1003;
            if (code == SetFs)
            {
                if (address >= LinuxLayout.Limit) return Error(Errno.EPERM);
                WriteFsBase(address);
                return 0;
            }
            if (code == GetFs)
            {
                if (!UserPointers.Check(address, 8, true)) return Error(Errno.EFAULT);
                *(ulong*)address = ReadFsBase();
                return 0;
            }
            return Error(Errno.EINVAL);
        }

        private static long Uname(ulong buffer)
        {
            if (!UserPointers.Check(buffer, 6 * 65, true)) return Error(Errno.EFAULT);
            System.Runtime.InteropServices.NativeMemory.Clear((void*)buffer, 6 * 65);
            Field(buffer, 0, "Linux");
            Field(buffer, 1, "exosharp");
            Field(buffer, 2, "6.1.0-exosharp");
            Field(buffer, 3, "#1 ExoSharp");
            Field(buffer, 4, "x86_64");
            Field(buffer, 5, "(none)");
            return 0;
        }

        private static void Field(ulong buffer, int index, string text)
        {
            byte* at = (byte*)buffer + index * 65;
            for (int i = 0; i < text.Length && i < 64; i++) at[i] = (byte)text[i];
        }

        private static long ClockGetTime(ulong clock, ulong timespec)
        {
            if (!UserPointers.Check(timespec, 16, true)) return Error(Errno.EFAULT);
            ulong ticks = Clock.Ticks;
            ulong* t = (ulong*)timespec;
            if (clock == 0) { t[0] = Clock.UnixSeconds; t[1] = ticks % 100 * 10_000_000; }   // REALTIME
            else { t[0] = ticks / 100; t[1] = ticks % 100 * 10_000_000; }                    // MONOTONIC and the rest
            return 0;
        }

        private static long GetTimeOfDay(ulong timeval)
        {
            if (timeval == 0) return 0;
            if (!UserPointers.Check(timeval, 16, true)) return Error(Errno.EFAULT);
            ((ulong*)timeval)[0] = Clock.UnixSeconds;
            ((ulong*)timeval)[1] = Clock.Ticks % 100 * 10_000;
            return 0;
        }

        private static long GetRandom(ulong buffer, ulong length)
        {
            if (length > 1 << 20) length = 1 << 20;
            if (!UserPointers.Check(buffer, length, true)) return Error(Errno.EFAULT);
            for (ulong i = 0; i < length; i++) ((byte*)buffer)[i] = (byte)(Entropy.Next() >> 32);
            return (long)length;
        }
    }
}
