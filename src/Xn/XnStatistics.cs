// Counters of the work XN's checks do, so tests can show that a check costs in proportion to the
// change (records emitted, blocks claimed or freed), not to the owner's whole tree.
namespace ExoSharp.Xn;

public struct XnStatistics
{
    /// <summary>owns() runs.</summary>
    public long OwnsRuns;
    /// <summary>Records emitted by those runs (each sorted and compared).</summary>
    public long Records;
    /// <summary>Registry entries looked at for allocated or freed blocks.</summary>
    public long BlocksChecked;
    /// <summary>Disk writes and reads submitted.</summary>
    public long Writes;
    public long Reads;
}
