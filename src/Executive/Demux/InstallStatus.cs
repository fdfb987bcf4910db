// Outcomes of FilterSet.Install and Remove. Installed doubles as "done" for Remove.
// Numbering is stable (the kernel will return these through the ABI).
namespace ExoSharp.Executive.Demux;

public enum InstallStatus
{
    Installed = 0,
    /// <summary>The verifier refused the program (InstallResult.Verification says why).</summary>
    Rejected = 1,
    /// <summary>It may accept a packet that another owner's filter accepts (the overlap rule).</summary>
    Overlap = 2,
    /// <summary>The set is full, or the merged program would exceed the length limit.</summary>
    Full = 3,
    NotFound = 4,
    NotOwner = 5,
    /// <summary>It cannot be merged, and running it alone would take its owner's lone filters
    /// (or all owners') past their instruction budget per packet (FilterSet.MaxLoneSteps*).</summary>
    OverBudget = 6,
}
