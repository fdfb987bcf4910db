// The few device files the library OS makes itself, ahead of the volume (Devices): /dev/null
// (reads end of file, writes vanish), /dev/zero (reads zeros, writes vanish), /dev/full (reads
// zeros, writes ENOSPC), /dev/random and /dev/urandom (reads getrandom's bytes: xorshift, not
// cryptographic; writes vanish), as character devices 1,3, 1,5, 1,7, 1,8 and 1,9. /dev/tty and
// /dev/console are the console's own object (ConsoleObject).
using ExoSharp.LibOS.ExOS;
using ExoSharp.LibOS.ExOS.Cffs;

namespace ExoSharp.LibOS.Linux.Io
{
    public sealed unsafe class DeviceObject : OpenObject
    {
        public const ulong NullDevice = 0x103, ZeroDevice = 0x105, FullDevice = 0x107, RandomDevice = 0x108, UrandomDevice = 0x109;
        private readonly ulong _device;
        private readonly int _flags;

        public DeviceObject(ulong device, int flags)
        {
            _device = device;
            _flags = flags & (Files.AccessMask | FileObject.NonBlock);
        }

        private bool Readable => (_flags & Files.AccessMask) != Files.WriteOnly;
        private bool Writable => (_flags & Files.AccessMask) != Files.ReadOnly;

        public override long Read(byte* buffer, ulong count)
        {
            if (!Readable) return Fail(Errno.EBADF);
            if (_device == NullDevice) return 0;
            if (_device == RandomDevice || _device == UrandomDevice)
                for (ulong i = 0; i < count; i++) buffer[i] = (byte)(Runtime.Entropy.Next() >> 32);
            else System.Runtime.InteropServices.NativeMemory.Clear(buffer, (nuint)count);
            return (long)count;
        }

        public override long Write(byte* buffer, ulong count) =>
            !Writable ? Fail(Errno.EBADF) : _device == FullDevice && count > 0 ? Fail(Errno.ENOSPC) : (long)count;
        public override long ReadAt(byte* buffer, ulong count, ulong offset) => Read(buffer, count);
        public override long WriteAt(byte* buffer, ulong count, ulong offset) => Write(buffer, count);
        public override long Seek(long offset, int whence) => 0;

        public override long Stat(out FileStat st, out ulong device)
        {
            st = default;
            st.Mode = 0x21B6;                       // S_IFCHR | 0666
            st.Nlink = 1;
            st.Ino = _device;
            device = _device;
            return 0;
        }

        public override int Flags => _flags | FileObject.LargeFile;

        public override OpenObject Duplicate() => new DeviceObject(_device, _flags);

        public override void Close() { }
    }
}
