// How a Linux process ends: exit and exit_group with a code, or a signal's default action. The
// wait status goes into the process-table row first (code << 8, or the signal number), the
// descriptors are closed and the volume synced, the parent is sent SIGCHLD (which also wakes a parent blocked in wait4) and given the processor
// (Yield through the creator's endpoint; it may reap at once: the row says Ended), and then the environment
// exits with the code (128 + the signal when killed), the status an ExOS parent or the machine
// sees. Missing: threads (exit ends the whole process), orphans re-parented to an init.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.LibOS.Linux.Processes
{
    public static unsafe class ProcessExit
    {
        public static void Exit(ulong code) => End((int)(code & 0xFF) << 8, (int)(code & 0xFF));

        /// <summary>Ends the process by signal (128 + signal); by reboot(2)'s SIGKILL (its row's
        /// Halting set) as exit(0) instead.</summary>
        public static void Killed(int signal)
        {
            if (signal == Signals.Sigkill && ProcessTable.Self->Id == Process.Id && ProcessTable.Self->Halting != 0) End(0, 0);
            else End(signal, 128 + signal);
        }

        private static void End(int waitStatus, int status)
        {
            Io.DescriptorTable.CloseAll();                     // pipe ends released, the other ends woken
            Exec.CloseImage();
            if (Files.Volume != null) Files.SyncIfWritten();   // what it wrote reaches the disk
            ProcessRow* me = ProcessTable.Self;
            if (me->Id == Process.Id)
            {
                me->WaitStatus = waitStatus;
                System.Threading.Volatile.Write(ref me->State, ProcessRow.Ended);
                ProcessRow* parent = ProcessTable.Find(ProcessTable.Pid(me->Parent));
                if (parent != null && parent->Id == me->Parent)
                {
                    ProcessTable.Post(parent, Signals.Sigchld);
                    SystemCall.Yield(Capability.Parent);       // a parent blocked in wait4 runs now, not at its next slot
                }
            }
            SystemCall.Exit(status);
        }
    }
}
