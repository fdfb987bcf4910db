// One environment: a user program in its own address space. For now the kernel runs the
// boot modules one after another; the exokernel interface (issue 3) replaces this with
// environments created by the library OS. Missing: ids reused, parents, capabilities.
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Core
{
    internal sealed class Environment
    {
        public readonly int Id;
        public readonly string Name;
        public readonly AddressSpace Space;
        public readonly Symbols Symbols;

        public Environment(int id, string name, AddressSpace space, Symbols symbols)
        {
            Id = id;
            Name = name;
            Space = space;
            Symbols = symbols;
        }

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
