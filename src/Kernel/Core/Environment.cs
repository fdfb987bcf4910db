// One environment: an address space, a capability table, saved registers and where its
// CPU exceptions go. Ids are (generation << 12) | table index, so a dead environment's id
// is never valid again. Created by EnvTable, scheduled by Scheduler.
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Core
{
    internal sealed unsafe class Environment
    {
        public readonly ulong Id;
        public readonly int Index;
        public readonly ulong ParentId;
        public readonly string Name;
        public readonly AddressSpace Space;
        public readonly CapabilityTable Capabilities;
        public readonly Symbols Symbols;
        public readonly byte* Context;
        public bool Runnable;
        public ulong ExceptionEntry;
        public ulong ExceptionStackTop;

        public Environment(ulong id, int index, ulong parentId, string name, AddressSpace space, Symbols symbols)
        {
            Id = id;
            Index = index;
            ParentId = parentId;
            Name = name;
            Space = space;
            Symbols = symbols;
            Capabilities = new CapabilityTable(id);
            Context = UserContext.Allocate();
        }

        public TrapFrame* Frame => UserContext.Frame(Context);

        /// <summary>Starts a console line about this environment: "kernel: env 1 (hello) ".</summary>
        public void WriteLinePrefix()
        {
            Console.Write("kernel: env ");
            Console.WriteDecimal(Id);
            Console.Write(" (");
            Console.Write(Name);
            Console.Write(") ");
        }
    }
}
