// One end of a pipe (PipeBuffer) as a descriptor's object. A read waits (yielding) until bytes
// are buffered, and answers end of file once no write end is left anywhere; a write of at most
// PipeBuffer.AtomicSize bytes goes in whole, a larger one in pieces, and answers EPIPE with
// SIGPIPE raised once no read end is left (after some bytes went in: their count, the signal at
// the next write). O_NONBLOCK: EAGAIN instead of waiting. A wait that could never end (every
// reference to the other end is this process's own, and no signal can wake it yet) answers
// EDEADLK instead of sleeping for ever.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;
using ExoSharp.LibOS.ExOS.Cffs;

namespace ExoSharp.LibOS.Linux.Io
{
    public sealed unsafe class PipeEnd : OpenObject
    {
        public const ulong AtomicSize = 4096;       // PIPE_BUF
        public readonly int Slot;
        public readonly bool WriteEnd;

        /// <summary>An end whose reference was already counted (by PipeBuffer.Create or AddReference).</summary>
        public PipeEnd(int slot, bool writeEnd)
        {
            Slot = slot;
            WriteEnd = writeEnd;
        }

        private bool NonBlocking => (PipeBuffer.GetFlags(Slot, WriteEnd) & FileObject.NonBlock) != 0;

        /// <summary>Only this process holds the other end (no other process can ever change it).</summary>
        private bool OtherEndOnlyOurs() =>
            PipeBuffer.References(Slot, !WriteEnd) == (uint)DescriptorTable.CountPipeEnds(Slot, !WriteEnd);

        public override long Read(byte* buffer, ulong count)
        {
            if (WriteEnd) return Fail(Errno.EBADF);
            if (count == 0) return 0;
            for (bool waited = false; ; waited = true)
            {
                ulong n = PipeBuffer.TryRead(Slot, buffer, count);
                if (n > 0) { PipeBuffer.NoteLast(Slot, false, Process.Id); return (long)n; }
                if (PipeBuffer.References(Slot, true) == 0)
                {
                    n = PipeBuffer.TryRead(Slot, buffer, count);     // written just before the last close
                    return (long)n;
                }
                if (NonBlocking) return Fail(Errno.EAGAIN);
                if (waited && OtherEndOnlyOurs()) return Fail(Errno.EDEADLK);      // after one yield: a ping-pong never counts
                SystemCall.Yield(Processes.Children.YieldHandle(PipeBuffer.Last(Slot, true)));   // to the writer, when it is kin
            }
        }

        public override long Write(byte* buffer, ulong count)
        {
            if (!WriteEnd) return Fail(Errno.EBADF);
            ulong done = 0;
            bool waited = false;
            while (done < count || count == 0)
            {
                if (PipeBuffer.References(Slot, false) == 0)
                {
                    if (done > 0) return (long)done;
                    Processes.Signals.Raise(Processes.Signals.Sigpipe);     // delivered as the call returns
                    return Fail(Errno.EPIPE);
                }
                if (count == 0) return 0;
                ulong want = count - done;
                ulong n = PipeBuffer.TryWrite(Slot, buffer + done, want, want <= AtomicSize ? want : 1);
                if (n > 0) { done += n; PipeBuffer.NoteLast(Slot, true, Process.Id); continue; }
                if (NonBlocking) return done > 0 ? (long)done : Fail(Errno.EAGAIN);
                if (waited && OtherEndOnlyOurs()) return done > 0 ? (long)done : Fail(Errno.EDEADLK);
                SystemCall.Yield(Processes.Children.YieldHandle(PipeBuffer.Last(Slot, false)));
                waited = true;  // to the reader, when it is kin
            }
            return (long)done;
        }

        public override int Poll()
        {
            if (!WriteEnd)
            {
                int ready = PipeBuffer.Buffered(Slot) > 0 ? PollIn : 0;
                return PipeBuffer.References(Slot, true) == 0 ? ready | PollHangUp : ready;
            }
            if (PipeBuffer.References(Slot, false) == 0) return PollError;
            return PipeBuffer.Buffered(Slot) < PipeBuffer.Capacity ? PollOut : 0;
        }

        public override bool MayChange => !OtherEndOnlyOurs();

        public override long Ioctl(ulong request, ulong argument)
        {
            const ulong FionRead = 0x541B;
            if (request != FionRead) return Fail(Errno.ENOTTY);
            if (!Runtime.UserPointers.Check(argument, 4, true)) return Fail(Errno.EFAULT);
            *(int*)argument = WriteEnd ? 0 : (int)PipeBuffer.Buffered(Slot);
            return 0;
        }

        public override long Stat(out FileStat st, out ulong device)
        {
            st = default;
            st.Mode = 0x1180;                       // S_IFIFO | 0600
            st.Nlink = 1;
            st.Ino = PipeBuffer.Id(Slot);
            st.Size = 0;
            device = 0;
            return 0;
        }

        public override int Flags =>
            (WriteEnd ? Files.WriteOnly : Files.ReadOnly) | (PipeBuffer.GetFlags(Slot, WriteEnd) & FileObject.NonBlock);

        public override long SetFlags(int flags)
        {
            PipeBuffer.SetFlags(Slot, WriteEnd, flags & FileObject.NonBlock);
            return 0;
        }

        public override OpenObject Duplicate()
        {
            PipeBuffer.AddReference(Slot, WriteEnd, 1);
            return new PipeEnd(Slot, WriteEnd);
        }

        public override void Close()
        {
            PipeBuffer.AddReference(Slot, WriteEnd, -1);
            if (DescriptorTable.CountPipeEnds(Slot, true) + DescriptorTable.CountPipeEnds(Slot, false) == 0) PipeBuffer.Unmap(Slot);
        }

        public override void Fork(bool undo) => PipeBuffer.AddReference(Slot, WriteEnd, undo ? -1 : 1);
    }
}
