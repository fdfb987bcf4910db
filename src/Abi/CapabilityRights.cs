// What the holder of a capability may do with what it names: set when the capability is made
// and only ever narrowed (CapMint, passing over IPC). Environment capabilities: Control
// (everything EnvCreate's capability allows: map into it, set its registers, status, handlers,
// name and slots, revoke from it, destroy it), Call (IPC calls to it: an endpoint) and Yield
// (give it the processor). Frame capabilities: Write (may be mapped writable). XnRoot
// capabilities: Write (may allocate, free, write and move blocks under the root; without it,
// read, fetch, map, evict and sync only).
namespace ExoSharp.Abi
{
    public static class CapabilityRights
    {
        public const byte Control = 1;
        public const byte Call = 2;
        public const byte Yield = 4;
        public const byte Write = 8;
        public const byte AllEnvironment = Control | Call | Yield;
    }
}
