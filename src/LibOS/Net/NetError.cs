// What the stack's calls return when they fail (all negative; 0 and up are counts or handles).
namespace ExoSharp.LibOS.Net
{
    public static class NetError
    {
        public const int WouldBlock = -1, NotConnected = -2, Reset = -3, TimedOut = -4, Refused = -5;
        public const int Closed = -6, NoResources = -7, InUse = -8, Invalid = -9, Unreachable = -10, TooBig = -11;

        public static string Text(int code) => code switch
        {
            WouldBlock => "would block",
            NotConnected => "not connected",
            Reset => "connection reset",
            TimedOut => "timed out",
            Refused => "connection refused",
            Closed => "closed",
            NoResources => "no resources",
            InUse => "address in use",
            Invalid => "invalid argument",
            Unreachable => "unreachable",
            TooBig => "too big",
            _ => "error " + code.ToString(),
        };
    }
}
