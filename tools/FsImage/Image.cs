// A C-FFS volume on the host: an ImageDisk formatted for XN (when new), mounted, and the file
// system in its root (made when absent). What tools/fsimage's verbs and the host tests start from.
using ExoSharp.LibOS.ExOS.Cffs;
using ExoSharp.Xn;

namespace ExoSharp.Tools.FsImage
{
    public sealed class Image
    {
        /// <summary>The root the guest's ExOS mounts, and its key (docs/filesystem.md).</summary>
        public const string RootName = CffsLayout.SystemRoot;
        public const ulong RootKey = CffsLayout.SystemKey;

        public ImageDisk Disk;
        public XnVolume Xn;
        public MountReport Report;
        public HostXnPort Port;
        public FileSystem Fs;
        private readonly ImagePages _pages = new();
        private readonly int _cache;

        public Image(ImageDisk disk, bool format, int cache = 512)
        {
            Disk = disk;
            _cache = cache;
            if (format && XnVolume.Format(disk, disk.BlockCount, _pages) != 0) throw new InvalidOperationException("format failed");
            Remount();
        }

        /// <summary>Mounts again from what is on the disk (after a crash: nothing in core survives).</summary>
        public long Remount(bool create = true)
        {
            Xn = new XnVolume(Disk, new InterpretingOwnsRunner(), _cache, _pages);
            Disk.Sink = Xn;
            Report = Xn.Mount();
            Port = new HostXnPort(Xn, Disk, RootKey);
            Fs = FileSystem.Open(Port, RootName, RootKey, create, out long error);
            return error;
        }
    }
}
