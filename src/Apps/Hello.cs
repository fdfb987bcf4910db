// The first program: prints one line and exits with status 0.
namespace ExoSharp.Apps
{
    internal static class Hello
    {
        public static int Main(string arguments)
        {
            System.Console.WriteLine("hello, world");
            return 0;
        }
    }
}
