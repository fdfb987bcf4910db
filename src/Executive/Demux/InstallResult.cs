// FilterSet.Install's answer: the new filter's id, or why not (the verifier's finding, or the
// id of the other owner's filter it may overlap).
using ExoSharp.Executive.Verification;

namespace ExoSharp.Executive.Demux;

public struct InstallResult
{
    public InstallStatus Status;
    public uint FilterId;
    public uint ConflictingFilterId;
    public VerifierResult Verification;

    public bool Installed => Status == InstallStatus.Installed;
}
