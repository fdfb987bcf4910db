// What a stack is configured with: its card's address, its IPv4 address (static, or 0 until
// the DHCP client gets one), the limits that bound its memory, and the TCP timers. Times are in
// milliseconds of the clock the program passes in.
namespace ExoSharp.LibOS.Net
{
    public sealed class NetConfig
    {
        public ulong Mac;
        public uint Address, Netmask = 0xFFFF_FF00, Gateway;
        public ushort Mtu = 1500;

        /// <summary>The secret behind ISNs, port offsets and timestamp offsets.</summary>
        public ulong Key0 = 0x0123_4567_89AB_CDEF, Key1 = 0x0F1E_2D3C_4B5A_6978;

        public int ArpEntries = 32;
        public long ArpLifetime = 300_000, ArpRetry = 1_000;
        public int ReassemblySlots = 4;
        public uint ReassemblyMax = 65535;
        public long ReassemblyTimeout = 30_000;

        public int TcpConnections = 300;
        public uint TcpSendBuffer = 64 * 1024, TcpReceiveBuffer = 64 * 1024;
        public int UdpSockets = 8;
        public uint UdpQueue = 16 * 1024;

        public long RtoInitial = 1_000, RtoMin = 200, RtoMax = 60_000;
        public int MaxRetries = 12, SynRetries = 5;
        public long DelayedAck = 40, TimeWait = 60_000;
        public long KeepIdle = 7_200_000, KeepInterval = 75_000;
        public int KeepCount = 9;
        public int ChallengeAcksPerSecond = 100;
        public ushort EphemeralLow = 49152, EphemeralHigh = 65535;
        public bool Sack = true, WindowScale = true, Timestamps = true;

        /// <summary>Knowledge-based packet merging: ACKs a batch of received frames owes (a
        /// SYN-ACK's, every second segment's) wait for the program's next poll, so that the data
        /// it sends in the meantime carries them (NetStack.BeginBatch). Off: sent at the end of the batch.</summary>
        public bool MergeAcks = true;
    }
}
