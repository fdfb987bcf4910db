// The Linux system calls of the foreign process, served in its own address space from the
// ForeignSyscall upcall (the registers as the `syscall` left them; the result goes in rax,
// negative errno on failure): files, descriptors and pipes (Io/: DescriptorCalls, PathCalls,
// over ExOS.Files on the system volume, mounted at start when there is a disk), processes and
// signals (fork, execve, wait4, kill, handlers: Processes/), brk, anonymous mmap, arch_prctl,
// uname, the identity calls, clocks, getrandom. Every pointer is checked (EFAULT); an unknown
// call answers ENOSYS and is logged once with its number and name. A CPU fault in the foreign
// code is its signal (Signals.Fault); a write fault on a copy-on-write page (after a fork) is
// served first, wherever it happens; every end closes the descriptors and syncs (ProcessExit).
// Memory: MemoryCalls. Missing: file-backed mmap, sockets.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;
using ExoSharp.LibOS.ExOS.Cffs;
using ExoSharp.LibOS.Linux.Devices;
using ExoSharp.LibOS.Linux.Io;
using ExoSharp.LibOS.Linux.Processes;
using System.Runtime;
using System.Runtime.CompilerServices;

namespace ExoSharp.LibOS.Linux.Runtime
{
    public static unsafe class LinuxCalls
    {
        [RuntimeImport("linux_set_fs")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern void WriteFsBase(ulong value);
        [RuntimeImport("linux_get_fs")] [MethodImpl(MethodImplOptions.InternalCall)] private static extern ulong ReadFsBase();

        private static ulong s_breakStart, s_break;
        private static ulong[] s_logged;           // a bit per call number logged as unknown
        public static ulong Calls;

        public static void Start(ulong breakStart)
        {
            s_breakStart = s_break = breakStart;
            MemoryCalls.Start();
            LinuxFast.Refresh();
            s_logged = new ulong[64];
            ConsoleDevice.Open();           // the terminal is open before the program runs: nothing typed is lost
            DescriptorTable.Start();
            XnInfo disk;
            SystemCall.XnInfo(&disk);
            if (disk.Blocks > 0) Files.Mount();                                 // no disk: paths answer ENOENT
        }

        public static void Upcall(ExceptionFrame* frame)
        {
            Registers* r = &frame->Registers;
            if (frame->Vector != UpcallVector.ForeignSyscall)
            {
                if (frame->Vector == 14 && (KernelTables.PageEntry(frame->FaultAddress) & PageFlags.CopyOnWrite) != 0 &&
                    Process.CopyOnWrite(frame)) return;                         // after a fork, anywhere (the entry's mark first: no system call)
                if (MemoryCalls.Fault(frame)) return;                           // the first touch of an mmap'd page
                if (frame->Vector == UpcallVector.SliceStart)                   // signals for code that makes no calls
                {
                    if (r->Rip < LinuxLayout.Limit) Signals.Deliver(frame, false);
                    return;
                }
                if (frame->Vector >= 32) return;                                // revocation: nothing to give back
                if (r->Rip >= LinuxLayout.Limit)
                {
                    if (Exceptions.RaiseManaged(frame)) return;
                    System.Console.WriteLine("linux: the library OS faulted (CPU exception " + frame->Vector.ToString() + " at rip 0x" +
                        r->Rip.ToString("x") + ", address 0x" + frame->FaultAddress.ToString("x") + "): killed");
                    ProcessExit.Killed(Signals.Sigsegv);
                }
                Signals.Fault(frame);
                return;
            }
            Calls++;
            s_frame = frame;
            r->Rax = (ulong)Call(r->Rax, r->Rdi, r->Rsi, r->Rdx, r->R10, r->R8, r->R9);
            Signals.Deliver(frame, true);
        }

        /// <summary>After a call linux.asm served (a fast sched_yield) when a signal was posted meanwhile.</summary>
        public static void DeliverSignals(ExceptionFrame* frame) => Signals.Deliver(frame, true);

        private static ExceptionFrame* s_frame;     // the upcall being served (execve replaces its registers)

        private static long Error(Errno e) => -(long)e;

        private const ulong AtFdCwd = unchecked((ulong)-100L);

        private static long Call(ulong number, ulong a0, ulong a1, ulong a2, ulong a3, ulong a4, ulong a5)
        {
            switch (number)
            {
                case 12: return Brk(a0);
                case 9: return MemoryCalls.Map(a0, a1, a2, a3, (int)a4, a5);    // fd is an int: glibc leaves the upper half of r8 as it likes
                case 11: return MemoryCalls.Unmap(a0, a1);                      // munmap
                case 10: return MemoryCalls.Protect(a0, a1, a2);                // mprotect
                case 28: return 0;                                              // madvise
                case 158: return ArchPrctl(a0, a1);
                case 273: return 0;                                             // set_robust_list
                case 334: return Error(Errno.ENOSYS);                           // rseq: glibc goes on without it
                case 102: case 104: case 107: case 108: return 0;               // getuid, getgid, geteuid, getegid: root
                case 63: return Uname(a0);
                case 228: return ClockGetTime(a0, a1);
                case 96: return GetTimeOfDay(a0);
                case 201: return Time(a0);
                case 157: return Prctl(a0, a1);
                case 202: return Futex(a0, a1, a2);
                case 318: return GetRandom(a0, a1);
                case 302: return Error(Errno.ENOSYS);                           // prlimit64
                // Files, descriptors and pipes.
                case 0: return DescriptorCalls.Read(a0, a1, a2);
                case 1: return DescriptorCalls.Write(a0, a1, a2);
                case 2: return PathCalls.Open(AtFdCwd, a0, a1, a2);                       // open
                case 3: return DescriptorCalls.Close(a0);
                case 4: return PathCalls.StatAt(AtFdCwd, a0, a1, 0);                      // stat
                case 5: return DescriptorCalls.Stat(a0, a1);                              // fstat
                case 6: return PathCalls.StatAt(AtFdCwd, a0, a1, 0x100);                  // lstat
                case 7: return DescriptorCalls.Poll(a0, a1, (int)a2);                     // poll
                case 8: return DescriptorCalls.Seek(a0, a1, a2);                          // lseek
                case 16: return DescriptorCalls.Ioctl(a0, a1, a2);
                case 17: return DescriptorCalls.ReadAt(a0, a1, a2, a3);                   // pread64
                case 18: return DescriptorCalls.WriteAt(a0, a1, a2, a3);                  // pwrite64
                case 19: return DescriptorCalls.Vector(a0, a1, a2, false);                // readv
                case 20: return DescriptorCalls.Vector(a0, a1, a2, true);                 // writev
                case 21: return PathCalls.Access(AtFdCwd, a0, a1, 0);                     // access
                case 22: return DescriptorCalls.Pipe(a0, 0);                              // pipe
                case 32: return DescriptorCalls.Dup(a0);
                case 33: return DescriptorCalls.Dup2(a0, a1);
                case 40: return DescriptorCalls.SendFile(a0, a1, a2, a3);
                case 72: return DescriptorCalls.Control(a0, a1, a2);                      // fcntl
                case 74: return DescriptorCalls.Sync(a0);                                 // fsync
                case 75: return DescriptorCalls.Sync(a0);                                 // fdatasync
                case 76: return PathCalls.Truncate(a0, a1);
                case 77: return DescriptorCalls.Truncate(a0, a1);                         // ftruncate
                case 79: return PathCalls.GetWorkingDirectory(a0, a1);                    // getcwd
                case 80: return PathCalls.ChangeDirectory(a0);                            // chdir
                case 81: return PathCalls.ChangeDirectoryTo(a0);                          // fchdir
                case 82: return PathCalls.Rename(AtFdCwd, a0, AtFdCwd, a1, 0);            // rename
                case 83: return PathCalls.MakeDirectory(AtFdCwd, a0, a1);                 // mkdir
                case 84: return PathCalls.Unlink(AtFdCwd, a0, 0x200);                     // rmdir
                case 85: return PathCalls.Open(AtFdCwd, a0, 0x241, a1);                   // creat: O_CREAT|O_WRONLY|O_TRUNC
                case 86: return PathCalls.Link(AtFdCwd, a0, AtFdCwd, a1, 0);              // link
                case 87: return PathCalls.Unlink(AtFdCwd, a0, 0);                         // unlink
                case 88: return PathCalls.Symlink(a0, AtFdCwd, a1);                       // symlink
                case 89: return PathCalls.ReadLink(AtFdCwd, a0, a1, a2);                  // readlink
                case 90: return PathCalls.ChangeMode(AtFdCwd, a0, a1, false);             // chmod
                case 91: return PathCalls.ChangeMode(a0, 0, a1, true);                    // fchmod
                case 92: return PathCalls.ChangeOwner(AtFdCwd, a0, a1, a2, 0, false);     // chown
                case 93: return PathCalls.ChangeOwner(a0, 0, a1, a2, 0, true);            // fchown
                case 94: return PathCalls.ChangeOwner(AtFdCwd, a0, a1, a2, 0x100, false); // lchown
                case 95: return PathCalls.SetCreationMask(a0);                            // umask
                case 162: return Files.Volume != null ? Files.Sync() : 0;                 // sync
                case 217: return DescriptorCalls.ReadDirectory(a0, a1, a2);               // getdents64
                case 257: return PathCalls.Open(a0, a1, a2, a3);                          // openat
                case 258: return PathCalls.MakeDirectory(a0, a1, a2);                     // mkdirat
                case 260: return PathCalls.ChangeOwner(a0, a1, a2, a3, a4, false);        // fchownat
                case 262: return PathCalls.StatAt(a0, a1, a2, a3);                        // newfstatat
                case 263: return PathCalls.Unlink(a0, a1, a2);                            // unlinkat
                case 264: return PathCalls.Rename(a0, a1, a2, a3, 0);                     // renameat
                case 265: return PathCalls.Link(a0, a1, a2, a3, a4);                      // linkat
                case 266: return PathCalls.Symlink(a0, a1, a2);                           // symlinkat
                case 267: return PathCalls.ReadLink(a0, a1, a2, a3);                      // readlinkat
                case 268: return PathCalls.ChangeMode(a0, a1, a2, false);                 // fchmodat
                case 269: return PathCalls.Access(a0, a1, a2, 0);                         // faccessat
                case 271: return DescriptorCalls.PollTimespec(a0, a1, a2);                // ppoll
                case 280: return PathCalls.SetTimes(a0, a1, a2, a3);                      // utimensat
                case 292: return DescriptorCalls.Dup3(a0, a1, a2);
                case 293: return DescriptorCalls.Pipe(a0, a1);                            // pipe2
                case 316: return PathCalls.Rename(a0, a1, a2, a3, a4);                    // renameat2
                case 306: return DescriptorCalls.Sync(a0);                                // syncfs
                case 332: return PathCalls.Statx(a0, a1, a2, a3, a4);
                case 439: return PathCalls.Access(a0, a1, a2, a3);                        // faccessat2
                // Processes and signals.
                case 39: return ProcessCalls.GetPid();                          // getpid
                case 186: return ProcessCalls.GetPid();                         // gettid: one thread per process
                case 110: return ProcessCalls.GetParentPid();                   // getppid
                case 218: return ProcessCalls.GetPid();                         // set_tid_address: the thread id
                case 57: return LinuxFork.Fork();                               // fork
                case 58: return LinuxFork.Fork();                               // vfork: a fork
                case 56: return LinuxFork.Clone(s_frame, a0, a1, a2, a3, a4);   // clone
                case 435: return LinuxFork.Clone3(s_frame, a0, a1);             // clone3
                case 59: return Exec.Execve(s_frame, a0, a1, a2);               // execve
                case 60: ProcessExit.Exit(a0); return 0;                        // exit
                case 231: ProcessExit.Exit(a0); return 0;                       // exit_group
                case 61: return Children.Wait4((int)a0, a1, a2, a3);            // wait4
                case 247: return Children.WaitId(a0, a1, a2, a3, a4);           // waitid
                case 62: return ProcessCalls.Kill((int)a0, a1);                 // kill
                case 169: return ProcessCalls.Reboot(a0, a1, a2);               // reboot
                case 200: return ProcessCalls.TKill((int)a0, a1);               // tkill
                case 234: return ProcessCalls.ThreadKill((int)a0, (int)a1, a2); // tgkill
                case 15: Signals.Return(s_frame); return (long)s_frame->Registers.Rax;   // rt_sigreturn: every register back
                case 13: return Signals.Action(a0, a1, a2, a3);                 // rt_sigaction
                case 14: return Signals.ProcMask(a0, a1, a2, a3);               // rt_sigprocmask
                case 127: return Signals.Pending(a0, a1);                       // rt_sigpending
                case 130: return Signals.Suspend(a0, a1);                       // rt_sigsuspend
                case 131: return Signals.AltStack(a0, a1, s_frame->Registers.Rsp); // sigaltstack
                case 34: return ProcessCalls.Pause();                           // pause
                case 37: return Signals.Alarm(a0);                              // alarm
                case 38: return Signals.SetTimer(a0, a1, a2);                   // setitimer
                case 36: return Signals.GetTimer(a0, a1);                       // getitimer
                case 35: return ProcessCalls.NanoSleep(a0, a1);                 // nanosleep
                case 230: return ProcessCalls.ClockNanoSleep(a0, a1, a2, a3);   // clock_nanosleep
                case 24: return Scheduling.Yield();                             // sched_yield
                case 144: return Scheduling.SetScheduler(a0, a1, a2);           // sched_setscheduler
                case 145: return Scheduling.GetScheduler(a0);                   // sched_getscheduler
                case 204: return Scheduling.GetAffinity(a0, a1, a2);            // sched_getaffinity
                case 203: return Scheduling.SetAffinity(a0, a1, a2);            // sched_setaffinity
                case 142: return Scheduling.SetParam(a0, a1);                   // sched_setparam
                case 143: return Scheduling.GetParam(a0, a1);                   // sched_getparam
                case 146: return Scheduling.PriorityLimit(a0, true);            // sched_get_priority_max
                case 147: return Scheduling.PriorityLimit(a0, false);           // sched_get_priority_min
                case 165: return Mounts.Mount(a0, a1, a2, a3, a4);              // mount
                case 166: return Mounts.Unmount(a0, a1);                        // umount2
                case 109: return ProcessCalls.SetPgid((int)a0, (int)a1);        // setpgid
                case 121: return ProcessCalls.GetPgid((int)a0);                 // getpgid
                case 111: return ProcessCalls.GetPgid(0);                       // getpgrp
                case 112: return ProcessCalls.SetSid();                         // setsid
                case 124: return ProcessCalls.GetSid((int)a0);                  // getsid
                // The console and the terminal: a descriptor's ConsoleObject (Io/ConsoleObject.cs) over Devices/ConsoleDevice.cs.
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

        private static long Brk(ulong wanted)
        {
            if (wanted <= s_break || wanted > s_breakStart + LinuxLayout.BreakLimit)
                return wanted != 0 && wanted >= s_breakStart && wanted <= s_break ? (long)(s_break = wanted) : (long)s_break;
            if (LinuxProcess.MapZeroed((s_break + 4095) & ~4095UL, wanted, PageFlags.Writable) != null) return (long)s_break;
            s_break = wanted;
            return (long)s_break;
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

        /// <summary>time(2): the wall clock's seconds, also stored at tloc unless it is null.</summary>
        private static long Time(ulong tloc)
        {
            if (tloc != 0 && !UserPointers.Check(tloc, 8, true)) return Error(Errno.EFAULT);
            ulong now = Clock.UnixSeconds;
            if (tloc != 0) *(ulong*)tloc = now;
            return (long)now;
        }

        private static readonly byte[] s_name = new byte[16];      // PR_SET_NAME's name (zero-terminated); a fork's copy keeps it

        /// <summary>prctl(2): PR_SET_NAME (15) and PR_GET_NAME (16), 16 bytes with the terminator;
        /// every other option EINVAL.</summary>
        private static long Prctl(ulong option, ulong name)
        {
            if (option != 15 && option != 16) return Error(Errno.EINVAL);
            if (option == 16)
            {
                if (!UserPointers.Check(name, 16, true)) return Error(Errno.EFAULT);
                for (int i = 0; i < 16; i++) ((byte*)name)[i] = s_name[i];
                return 0;
            }
            int n = 0;
            for (; n < 15; n++)
            {
                if ((n == 0 || ((name + (ulong)n) & 4095) == 0) && !UserPointers.Check(name + (ulong)n, 1, false)) return Error(Errno.EFAULT);
                byte c = ((byte*)name)[n];
                if (c == 0) break;
                s_name[n] = c;
            }
            for (int i = n; i < 16; i++) s_name[i] = 0;
            return 0;
        }

        /// <summary>futex(2) for processes of one thread each (no CLONE_VM): FUTEX_WAKE and
        /// FUTEX_WAKE_BITSET wake no one (no other thread shares the word: 0); FUTEX_WAIT and
        /// FUTEX_WAIT_BITSET answer EAGAIN when the word is not the expected value, and EDEADLK when
        /// it is (nothing could ever wake the caller). An unaligned word EINVAL, an unmapped one
        /// EFAULT, the other operations ENOSYS.</summary>
        private static long Futex(ulong word, ulong op, ulong value)
        {
            ulong command = op & 0x7F;                  // less FUTEX_PRIVATE_FLAG and FUTEX_CLOCK_REALTIME
            if (command != 0 && command != 1 && command != 9 && command != 10) return Error(Errno.ENOSYS);
            if ((word & 3) != 0) return Error(Errno.EINVAL);
            if (!UserPointers.Check(word, 4, false)) return Error(Errno.EFAULT);
            if (command == 1 || command == 10) return 0;
            return *(uint*)word != (uint)value ? Error(Errno.EAGAIN) : Error(Errno.EDEADLK);
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
