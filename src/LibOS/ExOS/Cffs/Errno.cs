// The file system's errors: Linux's errno numbers, the one table ExOS's file calls answer with
// (negated), so a Linux-ABI library OS passes them through one to one. XnErrors maps XN's
// answers onto it. Missing: the errnos no call returns yet (EAGAIN, EINTR, ...).
namespace ExoSharp.LibOS.ExOS.Cffs
{
    public enum Errno : int
    {
        None = 0,
        EPERM = 1,
        ENOENT = 2,
        EIO = 5,
        EBADF = 9,
        ENOMEM = 12,
        EACCES = 13,
        EBUSY = 16,
        EEXIST = 17,
        EXDEV = 18,
        ENOTDIR = 20,
        EISDIR = 21,
        EINVAL = 22,
        EMFILE = 24,
        EFBIG = 27,
        ENOSPC = 28,
        EMLINK = 31,
        ENAMETOOLONG = 36,
        ENOTEMPTY = 39,
        ELOOP = 40,
    }
}
