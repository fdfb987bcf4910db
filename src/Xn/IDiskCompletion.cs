// Where a block device reports that a submitted transfer ended: XnVolume implements it.
// Precondition: called once per submitted request, with its tag, never re-entrantly from
// Submit. Missing: error kinds beyond ok / failed.
namespace ExoSharp.Xn;

public interface IDiskCompletion
{
    void Completed(int tag, bool ok);
}
