// The table of programs in the multi-call binary: the one list of their names. `make run
// APP=<name>` boots one; tests/Boot names them. Unknown names print the list and exit 127.
using System.Runtime;

namespace ExoSharp.Apps
{
    internal static unsafe class Programs
    {
        private struct Entry
        {
            public string Name;
            public delegate*<string, int> Main;
        }

        private static Entry[] Table => new Entry[]
        {
            new Entry { Name = "hello", Main = &Hello.Main },
        };

        [RuntimeExport("ExoSharpAppMain")]
        public static int Run(string name, string arguments)
        {
            Entry[] table = Table;
            for (int i = 0; i < table.Length; i++)
                if (table[i].Name == name) return table[i].Main(arguments);
            System.Console.Write("apps: no program named '");
            System.Console.Write(name);
            System.Console.Write("'; programs:");
            for (int i = 0; i < table.Length; i++)
            {
                System.Console.Write(" ");
                System.Console.Write(table[i].Name);
            }
            System.Console.WriteLine();
            return 127;
        }
    }
}
