// Error codes returned (negated) by system calls: the one list, shared by kernel and user.
// docs/abi.md describes each; tests/Unit checks that it names every member here.
namespace ExoSharp.Abi
{
    public enum Error : long
    {
        /// <summary>No such system call number.</summary>
        NoSuchCall = -1,

        /// <summary>A pointer argument is outside user space, non-canonical, or not mapped for the access.</summary>
        BadAddress = -2,

        /// <summary>A length argument is negative or too large.</summary>
        BadLength = -3,
    }
}
