// One entry of a capability table. Object is a frame number or an environment id; for a
// frame, Writable says whether it may be mapped writable and MapCount how many page-table
// entries of the table's environment use it.
namespace ExoSharp.Kernel.Core
{
    internal struct CapabilitySlot
    {
        public CapabilityType Type;
        public bool Writable;
        public ushort Generation;
        public uint MapCount;
        public ulong Object;
    }
}
