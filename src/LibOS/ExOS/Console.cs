// The console's input with a line discipline in the library (the kernel only hands over bytes,
// Abi.ConsoleRing): canonical mode (lines, echo, erase, word erase, kill, ^D as end of file),
// raw mode (bytes as they come, VMIN and VTIME), ^C reported as Interrupted when Signals is on;
// settings as Linux's termios (ConsoleSettings). Open attaches a ring page with the console
// capability; Read takes bytes from it, waiting with a wakeup predicate over Head and Tail, so
// a reader costs no processor time. One console per environment; not for several threads. A
// forked child starts closed (it holds no console capability unless one is passed to it).
// Missing: the other signal characters (^\, ^Z are data), output processing (the host's
// terminal turns "\n" into "\r\n"), VREPRINT and VLNEXT, tab columns when erasing.
using ExoSharp.Abi;

namespace ExoSharp.LibOS.ExOS
{
    public static unsafe class Console
    {
        /// <summary>Read's answer when ^C came (Signals on): what was typed is dropped. Not an Abi.Error.</summary>
        public const long Interrupted = -1001;
        /// <summary>Read's answer when nothing is ready and it may not block. Not an Abi.Error.</summary>
        public const long WouldBlock = -1002;

        private const int ReadyCapacity = 8192, LineCapacity = 4095, MaxMarks = 256;

        private static ConsoleRing* s_ring;
        private static ConsoleSettings s_settings = ConsoleSettings.Initial;
        private static byte[] s_ready, s_line, s_echo;
        private static int s_readyStart, s_readyCount, s_lineLength, s_echoLength;
        private static ulong s_consumed, s_appended;        // bytes taken from and added to s_ready, ever
        private static ulong[] s_marks;                     // canonical: where each finished line ends (in s_appended's count)
        private static int s_markStart, s_markCount;
        private static bool s_interrupt;
        private static ulong s_owner;                       // the environment that opened it
        private static ulong s_received;                    // the handle ReceiveFromParent got (0: none)

        /// <summary>This environment's console capability handle: the kernel's (the first
        /// environment) or the one its parent passed (ReceiveFromParent); 0 when it has none.</summary>
        public static ulong Handle => BootModules.Console != 0 ? BootModules.Console : s_received;

        /// <summary>Passes this environment's console capability to child (an environment handle
        /// with the Call right) over IPC, waiting until the child takes it: the child must have
        /// been spawned with Startup.ConsoleOption, so that it waits for it first thing. The child
        /// gets a copy derived from ours. 0 or a negative Abi.Error (BadHandle: we hold none).</summary>
        public static long GiveTo(ulong child)
        {
            ulong handle = Handle;
            if (handle == 0) return (long)Error.BadHandle;
            while (true)
            {
                IpcMessage message = default;
                message.Word0 = GiveConsole;
                message.Handle = handle;
                long r = SystemCall.IpcCall(child, &message);
                if (r != (long)Error.NotReceiving) return r < 0 ? r : (long)message.Word0;
                SystemCall.Yield(child);
            }
        }

        /// <summary>Waits for the parent's GiveTo and keeps the console capability it brings
        /// (Startup calls it for console=parent, before the program runs). A fresh child's only
        /// caller can be its creator (nobody else holds an endpoint to it yet); a call without the
        /// capability is answered BadArgument and waited past.</summary>
        public static void ReceiveFromParent()
        {
            while (s_received == 0)
            {
                IpcMessage message;
                long reply = SystemCall.IpcWait(&message);
                if (reply < 0) return;
                bool ok = message.Word0 == GiveConsole && message.Handle != 0;
                if (ok) s_received = message.Handle;
                else if (message.Handle != 0) SystemCall.CapDrop(message.Handle);
                IpcMessage answer = default;
                answer.Word0 = ok ? 0 : unchecked((ulong)(long)Error.BadArgument);
                SystemCall.IpcReply((ulong)reply, &answer);
            }
        }

        private const ulong GiveConsole = 0x636F6E736F6C65;     // "console": the request's Word0

        /// <summary>Whether this environment attached the ring (a fork's child has not).</summary>
        public static bool IsOpen
        {
            get
            {
                if (s_ring != null && s_owner != SystemCall.EnvId()) s_ring = null;     // the copy a fork left
                return s_ring != null;
            }
        }

        /// <summary>Maps a fresh page at Layout.ConsoleRing and attaches it with the console
        /// capability handle (default: Handle, the kernel's or the parent's). 0 or a
        /// negative Abi.Error (BadHandle: this environment holds no console capability).</summary>
        public static long Open(ulong handle = ulong.MaxValue)
        {
            if (IsOpen) return 0;
            if (handle == ulong.MaxValue) handle = Handle;
            if (handle == 0) return (long)Error.BadHandle;
            PageInfo info;
            if (SystemCall.PageQuery(Layout.ConsoleRing, &info) < 0 || info.Flags == 0)
            {
                long r = Memory.AllocatePage(Layout.ConsoleRing);
                if (r < 0) return r;
            }
            long attached = SystemCall.ConsoleAttach(handle, Layout.ConsoleRing);
            if (attached < 0) return attached;
            s_ready = new byte[ReadyCapacity];
            s_line = new byte[LineCapacity + 1];
            s_echo = new byte[256];
            s_marks = new ulong[MaxMarks];
            s_ring = (ConsoleRing*)Layout.ConsoleRing;
            s_owner = SystemCall.EnvId();
            s_readyStart = s_readyCount = s_lineLength = s_markCount = s_echoLength = 0;
            s_consumed = s_appended = 0;
            s_interrupt = false;
            return 0;
        }

        /// <summary>The settings in force (a copy).</summary>
        public static ConsoleSettings Settings => s_settings;

        /// <summary>New settings; flush: drop the input not yet read (TCSETSF). Leaving canonical
        /// mode makes the line being typed readable; entering it ends what is ready as a line.</summary>
        public static void SetSettings(ConsoleSettings settings, bool flush)
        {
            bool wasCanonical = IsCanonical;
            s_settings = settings;
            if (!IsOpen) return;
            if (flush) Flush();
            if (wasCanonical && !IsCanonical)
            {
                for (int i = 0; i < s_lineLength; i++) Append(s_line[i]);
                s_lineLength = 0;
                s_markCount = 0;
            }
            else if (!wasCanonical && IsCanonical && s_readyCount > 0) Mark();
        }

        private static bool IsCanonical => (s_settings.LocalFlags & ConsoleSettings.Canonical) != 0;

        /// <summary>Bytes Read would return now without waiting (FIONREAD): in canonical mode
        /// those of finished lines.</summary>
        public static int Available
        {
            get
            {
                if (!IsOpen) return 0;
                Pull();
                if (!IsCanonical) return s_readyCount;
                return s_markCount == 0 ? 0 : (int)(s_marks[(s_markStart + s_markCount - 1) % MaxMarks] - s_consumed);
            }
        }

        /// <summary>Up to length bytes into buffer: in canonical mode at most one line (0: end of
        /// file, ^D on an empty line); in raw mode what has come, waiting as VMIN and VTIME say.
        /// blocking false: WouldBlock rather than wait. Interrupted after ^C; BadHandle before Open.</summary>
        public static long Read(byte* buffer, int length, bool blocking)
        {
            if (!IsOpen) return (long)Error.BadHandle;
            if (length < 0) return (long)Error.BadLength;
            ulong started = Clock.Ticks, lastByte = 0;
            while (true)
            {
                Pull();
                if (s_interrupt)
                {
                    s_interrupt = false;
                    return Interrupted;
                }
                if (length == 0) return 0;
                if (IsCanonical)
                {
                    if (s_markCount > 0) return TakeLine(buffer, length);
                    if (!blocking) return WouldBlock;
                    WaitForInput(0);
                    continue;
                }
                int minimum = Control(ConsoleSettings.Minimum);
                uint time = (uint)Control(ConsoleSettings.Time) * 10;    // tenths of a second, in ticks
                if (minimum > length) minimum = length;
                if (s_readyCount > 0 && lastByte == 0) lastByte = Clock.Ticks;
                bool enough = s_readyCount >= minimum && (s_readyCount > 0 || minimum == 0);
                bool timedOut = time != 0 && (minimum == 0 ? Clock.Ticks - started >= time : s_readyCount > 0 && Clock.Ticks - lastByte >= time);
                if (enough || timedOut || (minimum == 0 && time == 0)) return Take(buffer, length);
                if (!blocking) return s_readyCount > 0 ? Take(buffer, length) : WouldBlock;
                ulong since = minimum == 0 ? started : lastByte;
                WaitForInput(time == 0 || (minimum > 0 && s_readyCount == 0) ? 0 : (uint)(time - (Clock.Ticks - since)));
            }
        }

        /// <summary>Whether a Read would answer without waiting (poll's readiness), waiting for
        /// that up to ticks timer ticks (0: not at all; uint.MaxValue: as long as it takes).</summary>
        public static bool WaitReadable(uint ticks)
        {
            if (!IsOpen) return false;
            ulong started = Clock.Ticks;
            while (true)
            {
                Pull();
                if (s_interrupt || (IsCanonical ? s_markCount > 0 : s_readyCount > 0)) return true;
                ulong waited = Clock.Ticks - started;
                if (ticks == 0 || waited >= ticks) return false;
                WaitForInput(ticks == uint.MaxValue ? 0 : (uint)(ticks - waited));
            }
        }

        /// <summary>Drops what was typed and not read, the ring's bytes included.</summary>
        public static void Flush()
        {
            if (!IsOpen) return;
            System.Threading.Volatile.Write(ref s_ring->Tail, System.Threading.Volatile.Read(ref s_ring->Head));
            s_consumed = s_appended;
            s_readyStart = s_readyCount = s_lineLength = s_markCount = 0;
        }

        /// <summary>The ring's counters: bytes the kernel dropped because the ring was full, and received.</summary>
        public static uint Dropped => !IsOpen ? 0 : s_ring->Dropped;
        public static uint Received => !IsOpen ? 0 : s_ring->Received;

        private static long TakeLine(byte* buffer, int length)
        {
            ulong end = s_marks[s_markStart];
            int n = (int)(end - s_consumed);
            if (n > length) n = length;
            Copy(buffer, n);
            if (s_consumed == end)
            {
                s_markStart = (s_markStart + 1) % MaxMarks;
                s_markCount--;
            }
            return n;
        }

        private static long Take(byte* buffer, int length)
        {
            int n = s_readyCount < length ? s_readyCount : length;
            Copy(buffer, n);
            return n;
        }

        private static void Copy(byte* buffer, int n)
        {
            for (int i = 0; i < n; i++) buffer[i] = s_ready[(s_readyStart + i) % ReadyCapacity];
            s_readyStart = (s_readyStart + n) % ReadyCapacity;
            s_readyCount -= n;
            s_consumed += (ulong)n;
        }

        /// <summary>Takes the ring's bytes through the discipline while there is room for them.</summary>
        private static void Pull()
        {
            uint tail = s_ring->Tail, head = System.Threading.Volatile.Read(ref s_ring->Head);
            while (tail != head && s_readyCount + s_lineLength < ReadyCapacity - 1 && s_markCount < MaxMarks - 1)
            {
                byte b = ((byte*)s_ring)[ConsoleRing.DataOffset + (tail & (ConsoleRing.Capacity - 1))];
                tail++;
                Receive(b);
            }
            System.Threading.Volatile.Write(ref s_ring->Tail, tail);
            FlushEcho();
        }

        private static void Receive(byte c)
        {
            ConsoleSettings s = s_settings;
            byte* cc = s.ControlCharacters;
            if (c == (byte)'\r')
            {
                if ((s.InputFlags & ConsoleSettings.IgnoreReturn) != 0) return;
                if ((s.InputFlags & ConsoleSettings.ReturnToNewline) != 0) c = (byte)'\n';
            }
            else if (c == (byte)'\n' && (s.InputFlags & ConsoleSettings.NewlineToReturn) != 0) c = (byte)'\r';
            bool echo = (s.LocalFlags & ConsoleSettings.Echo) != 0;
            if ((s.LocalFlags & ConsoleSettings.Signals) != 0 && c != 0 && c == cc[ConsoleSettings.Interrupt])
            {
                if ((s.LocalFlags & ConsoleSettings.NoFlush) == 0)
                {
                    s_readyStart = s_readyCount = s_lineLength = s_markCount = 0;
                    s_consumed = s_appended;
                }
                if (echo) EchoVisible(c);
                s_interrupt = true;
                return;
            }
            if (!IsCanonical)
            {
                Append(c);
                if (echo) EchoVisible(c);
                return;
            }
            if (c != 0 && c == cc[ConsoleSettings.Erase])
            {
                if (s_lineLength > 0) EraseLast(echo);
                return;
            }
            if (c != 0 && c == cc[ConsoleSettings.WordErase] && (s.LocalFlags & ConsoleSettings.Extended) != 0)
            {
                while (s_lineLength > 0 && IsSpace(s_line[s_lineLength - 1])) EraseLast(echo);
                while (s_lineLength > 0 && !IsSpace(s_line[s_lineLength - 1])) EraseLast(echo);
                return;
            }
            if (c != 0 && c == cc[ConsoleSettings.Kill])
            {
                if ((s.LocalFlags & ConsoleSettings.EchoKillErase) != 0) { while (s_lineLength > 0) EraseLast(echo); }
                else
                {
                    s_lineLength = 0;
                    if (echo) EchoVisible(c);
                    if (echo && (s.LocalFlags & ConsoleSettings.EchoKill) != 0) EchoByte((byte)'\n');
                }
                return;
            }
            if (c != 0 && c == cc[ConsoleSettings.EndOfFile])
            {
                EndLine();
                return;
            }
            bool newline = c == (byte)'\n' || (c != 0 && (c == cc[ConsoleSettings.EndOfLine] || c == cc[ConsoleSettings.EndOfLine2]));
            if (!newline && s_lineLength >= LineCapacity - 1) return;      // a full line keeps room for its newline
            s_line[s_lineLength++] = c;
            if (echo || (c == (byte)'\n' && (s.LocalFlags & ConsoleSettings.EchoNewline) != 0)) EchoVisible(c);
            if (newline) EndLine();
        }

        private static byte Control(int index)
        {
            ConsoleSettings s = s_settings;
            return s.ControlCharacters[index];
        }

        private static bool IsSpace(byte c) => c == (byte)' ' || c == (byte)'\t';

        private static void EndLine()
        {
            for (int i = 0; i < s_lineLength; i++) Append(s_line[i]);
            s_lineLength = 0;
            Mark();
        }

        private static void Mark()
        {
            s_marks[(s_markStart + s_markCount) % MaxMarks] = s_appended;
            s_markCount++;
        }

        private static void Append(byte c)
        {
            if (s_readyCount == ReadyCapacity) return;
            s_ready[(s_readyStart + s_readyCount) % ReadyCapacity] = c;
            s_readyCount++;
            s_appended++;
        }

        private static void EraseLast(bool echo)
        {
            byte c = s_line[--s_lineLength];
            if (!echo) return;
            if ((s_settings.LocalFlags & ConsoleSettings.EchoErase) == 0)
            {
                EchoVisible(Control(ConsoleSettings.Erase));
                return;
            }
            int columns = c < 0x20 && c != (byte)'\t' && (s_settings.LocalFlags & ConsoleSettings.EchoControl) != 0 ? 2 : 1;
            for (int i = 0; i < columns; i++)
            {
                EchoByte((byte)'\b');
                EchoByte((byte)' ');
                EchoByte((byte)'\b');
            }
        }

        /// <summary>Echoes c, a control character as ^X when EchoControl is on (not tab or newline).</summary>
        private static void EchoVisible(byte c)
        {
            if ((c < 0x20 || c == 0x7F) && c != (byte)'\t' && c != (byte)'\n' && (s_settings.LocalFlags & ConsoleSettings.EchoControl) != 0)
            {
                EchoByte((byte)'^');
                EchoByte((byte)(c ^ 0x40));
                return;
            }
            EchoByte(c);
        }

        private static void EchoByte(byte c)
        {
            if (s_echoLength == s_echo.Length) FlushEcho();
            s_echo[s_echoLength++] = c;
        }

        private static void FlushEcho()
        {
            if (s_echoLength == 0) return;
            fixed (byte* p = s_echo) SystemCall.ConsoleWrite(p, s_echoLength);
            s_echoLength = 0;
        }

        /// <summary>Blocks until the kernel has stored a byte the library has not taken (or, with
        /// ticks non-zero, until that many timer ticks pass).</summary>
        private static void WaitForInput(uint ticks)
        {
            ulong* words = stackalloc ulong[2];
            words[0] = (ulong)&s_ring->Head;
            words[1] = (ulong)&s_ring->Tail;
            ProgramInstruction* p = stackalloc ProgramInstruction[9];
            p[0] = I(0xc0, 0, 0, 4);                // ld ctx[4]        Tail
            p[1] = I(0x07, 0, 0, 0);                // tax
            p[2] = I(0xc0, 0, 0, 0);                // ld ctx[0]        Head
            int count;
            if (ticks == 0)
            {
                p[3] = I(0x1d, 0, 1, 0);            // jeq x            equal: nothing new
                p[4] = I(0x06, 0, 0, 0);            // ret #0           wait on
                p[5] = I(0x06, 0, 0, 1);            // ret #1
                count = 6;
            }
            else
            {
                p[3] = I(0x1d, 1, 0, 0);            // jeq x            equal: look at the time
                p[4] = I(0x06, 0, 0, 1);            // ret #1
                p[5] = I(0xc0, 0, 0, 8);            // ld ctx[8]        ticks since the wait began
                p[6] = I(0x35, 0, 1, ticks);        // jge #ticks
                p[7] = I(0x06, 0, 0, 2);            // ret #2           time is up
                p[8] = I(0x06, 0, 0, 0);            // ret #0
                count = 9;
            }
            // A refused wait (the executive out of memory) must not become a busy loop.
            if (SystemCall.PredicateWait(p, count, words, 2) < 0) SystemCall.Yield();
        }

        private static ProgramInstruction I(ushort code, byte jumpTrue, byte jumpFalse, uint k) => new ProgramInstruction(code, jumpTrue, jumpFalse, k);
    }
}
