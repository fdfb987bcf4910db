// XN's errors (Abi.Error, negative) as the file system's errnos: what a caller of the file
// system can do about each. An XN refusal of a change the library made (ForgedPointer,
// LostPointer, UdfLied) is a bug in this library, reported as EIO.
using ExoSharp.Abi;

namespace ExoSharp.LibOS.ExOS.Cffs
{
    public static class XnErrors
    {
        /// <summary>-errno for a negative XN result; non-negative results pass through.</summary>
        public static long ToErrno(long result)
        {
            if (result >= 0) return result;
            switch ((Error)result)
            {
                case Error.NoMemory: return -(long)Errno.ENOMEM;
                case Error.TableFull: return -(long)Errno.ENOMEM;
                case Error.NotOwner: return -(long)Errno.EACCES;
                case Error.NoRights: return -(long)Errno.EACCES;
                case Error.BlockInUse: return -(long)Errno.ENOSPC;
                case Error.FreePending: return -(long)Errno.ENOSPC;
                case Error.BadArgument: return -(long)Errno.EINVAL;
                case Error.BadLength: return -(long)Errno.EINVAL;
                default: return -(long)Errno.EIO;
            }
        }
    }
}
