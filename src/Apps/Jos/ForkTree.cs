// JOS lab 4 user/forktree: a binary tree of copy-on-write forks, depth 3 (15 environments),
// each printing its id and its path from the root.
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Jos
{
    internal static class ForkTree
    {
        private const int Depth = 3;

        private static void ForkChild(string current, char branch)
        {
            if (current.Length >= Depth) return;
            string next = current + branch.ToString();
            if (Process.Fork() == 0)
            {
                Tree(next);
                SystemCall.Exit(0);
            }
        }

        private static void Tree(string current)
        {
            System.Console.WriteLine(Format.Hex4(Process.Id) + ": I am '" + current + "'");
            ForkChild(current, '0');
            ForkChild(current, '1');
        }

        public static int Main(string arguments)
        {
            Tree("");
            return 0;
        }
    }
}
