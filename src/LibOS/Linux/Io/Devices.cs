// Device paths the library OS answers itself, before the volume is asked (there is no /dev on
// C-FFS): /dev/null, /dev/zero, /dev/full, /dev/random, /dev/urandom, /dev/tty and /dev/console
// (the console). Paths are compared after normalization. Missing: /dev/fd, a /dev directory to list.
using ExoSharp.LibOS.ExOS.Cffs;

namespace ExoSharp.LibOS.Linux.Io
{
    public static class Devices
    {
        private static ulong DeviceOf(string path) =>
            path == "/dev/null" ? DeviceObject.NullDevice :
            path == "/dev/zero" ? DeviceObject.ZeroDevice :
            path == "/dev/full" ? DeviceObject.FullDevice :
            path == "/dev/random" ? DeviceObject.RandomDevice :
            path == "/dev/urandom" ? DeviceObject.UrandomDevice :
            path == "/dev/tty" ? 0x500UL :
            path == "/dev/console" ? 0x501UL : 0;

        public static bool Is(string normalized) => DeviceOf(normalized) != 0;

        /// <summary>A new object for the device at the normalized path, or null when it is none.</summary>
        public static OpenObject Open(string normalized, int flags)
        {
            ulong device = DeviceOf(normalized);
            if (device == 0) return null;
            if (device < 0x500) return new DeviceObject(device, flags);
            return new ConsoleObject();
        }

        public static bool Stat(string normalized, out FileStat st, out ulong device)
        {
            st = default;
            device = DeviceOf(normalized);
            if (device == 0) return false;
            st.Mode = device >= 0x500 ? 0x2190u : 0x21B6u;       // the console: 0620; the others: 0666
            st.Nlink = 1;
            st.Ino = device;
            return true;
        }
    }
}
