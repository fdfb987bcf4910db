// JOS lab 4 user/faultread: reads address 0 with no handler; must be killed, never print.
namespace ExoSharp.Apps.Jos
{
    internal static unsafe class FaultRead
    {
        public static int Main(string arguments)
        {
            uint value = *(uint*)0;
            System.Console.WriteLine("I read " + value.ToString("x8") + " from location 0!");
            return 0;
        }
    }
}
