// An environment blocked in XnFetch or XnSync: its Blocker (one shared instance; XnService keeps
// what each waiter waits for). The disk's completion interrupt ends the wait (XnService.Wake);
// the scheduler only idles for it.
using ExoSharp.Abi;
using ExoSharp.Kernel.Core;
using Environment = ExoSharp.Kernel.Core.Environment;

namespace ExoSharp.Kernel.Xn;

internal sealed class DiskWait : Blocker
{
    public override ulong StatusBit => EnvRecord.Disk;
    public override bool TryWake(Environment env) => false;
    public override bool MayWakeAlone(Environment env) => true;
    public override string Stuck => "its disk transfer can never end";
}
