// The stack of the last exception nothing caught, as return addresses (the first is in the
// method that threw), for the platform's unhandled-exception hook to name. Filled by
// ExceptionHandling just before it calls the hook; at most Capacity frames.
namespace Internal.Runtime
{
    public static unsafe class ExceptionTrace
    {
        public const int Capacity = 32;
        private static ulong[] s_frames;
        private static int s_count;

        public static int Count => s_count;

        /// <summary>The i-th return address, innermost first (0 when out of range).</summary>
        public static ulong Frame(int i) => s_frames != null && i >= 0 && i < s_count ? s_frames[i] : 0;

        internal static void Set(ulong* frames, int count)
        {
            if (s_frames == null) s_frames = new ulong[Capacity];
            if (count > Capacity) count = Capacity;
            for (int i = 0; i < count; i++) s_frames[i] = frames[i];
            s_count = count;
        }
    }
}
