// What the holder of an environment capability may do with the environment it names (a
// capability's rights, set when it is made or minted and only ever narrowed by CapMint).
// Control: everything EnvCreate's capability allows (map into it, set its registers, status,
// handlers, name and slots, revoke from it, destroy it); Call: IPC calls to it (an endpoint);
// Yield: give it the processor; Mint: derive narrower capabilities from this one.
namespace ExoSharp.Abi
{
    public static class CapabilityRights
    {
        public const byte Control = 1;
        public const byte Call = 2;
        public const byte Yield = 4;
        public const byte Mint = 8;
        public const byte All = Control | Call | Yield | Mint;
    }
}
