// JOS lab 4 user/faultwrite: writes address 0 with no handler; must be killed.
namespace ExoSharp.Apps.Jos
{
    internal static unsafe class FaultWrite
    {
        public static int Main(string arguments)
        {
            *(uint*)0 = 0;
            System.Console.WriteLine("faultwrite: wrote to location 0!");
            return 0;
        }
    }
}
