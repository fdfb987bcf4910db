// XnInfo's answer: the disk in blocks and what XN has done since boot.
using System.Runtime.InteropServices;

namespace ExoSharp.Abi
{
    [StructLayout(LayoutKind.Sequential)]
    public struct XnInfo
    {
        /// <summary>Blocks on the disk (4096 bytes each), XN's own first ones included.</summary>
        public ulong Blocks;
        public ulong FreeBlocks;
        /// <summary>The first block XN hands out (the ones before are its superblock, templates, catalogue).</summary>
        public ulong FirstBlock;
        /// <summary>Blocks the mount found reachable from the roots.</summary>
        public ulong Reachable;
        /// <summary>Problems the mount reported (0: the disk was consistent).</summary>
        public ulong MountProblems;
        public ulong Reads;
        public ulong Writes;
        /// <summary>Runs of owns UDFs (two per checked change, one per metadata block at mount).</summary>
        public ulong OwnsRuns;
        /// <summary>Those of them that ran as compiled x86-64 code (the rest were interpreted).</summary>
        public ulong OwnsCompiled;
        /// <summary>The type the next XnTemplate will get (the lowest free slot; 0: none is free).</summary>
        public ulong NextTemplate;
    }
}
