// The file system's errors: Linux's errno numbers, the one table ExOS's file calls answer with
// (negated), so a Linux-ABI library OS passes them through one to one. XnErrors maps XN's
// answers onto it. The Linux library OS answers with the same table (its processes and signals
// add ESRCH, EINTR, E2BIG, ENOEXEC, ECHILD). Missing: the rest no call returns yet.
namespace ExoSharp.LibOS.ExOS.Cffs
{
    public enum Errno : int
    {
        None = 0,
        EPERM = 1,
        ENOENT = 2,
        ESRCH = 3,
        EINTR = 4,
        EIO = 5,
        E2BIG = 7,
        ENOEXEC = 8,
        EBADF = 9,
        ECHILD = 10,
        EAGAIN = 11,
        ENOMEM = 12,
        EACCES = 13,
        EFAULT = 14,
        EBUSY = 16,
        EEXIST = 17,
        EXDEV = 18,
        ENODEV = 19,
        ENOTDIR = 20,
        EISDIR = 21,
        EINVAL = 22,
        EMFILE = 24,
        ENOTTY = 25,
        ETXTBSY = 26,
        EFBIG = 27,
        ENOSPC = 28,
        ESPIPE = 29,
        EMLINK = 31,
        EPIPE = 32,
        ERANGE = 34,
        EDEADLK = 35,
        ENAMETOOLONG = 36,
        ENOSYS = 38,
        ENOTEMPTY = 39,
        ELOOP = 40,
        EOPNOTSUPP = 95,
    }
}
