/* fileprobe: the Linux library OS's descriptor, file and pipe calls from a static glibc program
 * (tests/Boot/linux-files-probe.test builds it with gcc -static into the test's disk tree). Raw
 * system calls (syscall(2)), so garbage pointers and flags reach the library OS unfiltered.
 * Every check prints "probe: WHAT -> GOT ok" or "... WRONG (expected E)"; the exit status is the
 * number of wrong ones. Pipes within one process (fork is not served yet). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <sys/syscall.h>
#include <unistd.h>

static int wrong;

/* The names getdents64 gives for fd, read with a buffer of size bytes at a time, joined by spaces. */
static long names(int fd, int size, char *out)
{
    char d[512];
    long calls = 0, n;
    out[0] = 0;
    while ((n = syscall(SYS_getdents64, fd, d, size)) > 0) {
        calls++;
        for (long at = 0; at < n; at += *(unsigned short *)(d + at + 16)) {
            if (out[0]) strcat(out, " ");
            strcat(out, d + at + 19);
        }
    }
    return n < 0 ? -errno : calls;
}

static void expect(const char *what, long got, long want)
{
    printf("probe: %s -> %ld %s", what, got, got == want ? "ok\n" : "WRONG");
    if (got != want) { printf(" (expected %ld)\n", want); wrong++; }
}

/* A raw call: the result or -errno, as the library OS answers. */
static long sys(long n, long a, long b, long c, long d, long e)
{
    long r = syscall(n, a, b, c, d, e, 0);
    return r == -1 ? -errno : r;
}

#define BAD ((long)0xdead0000beef)              /* not mapped, in the foreign region */
#define KERNELISH ((long)0xffff800000001000)    /* outside it */

/* fileprobe fuzz N SEED: N random calls among the file, descriptor and pipe calls, with
 * arguments drawn from good and bad descriptors, pointers, paths, flags and counts (bounded, so a
 * call cannot write gigabytes); descriptors 0-2 are never a target. Every answer must be a count
 * or -errno (-1..-4095); the program must live to check that files and stdout still work. */
static unsigned long long seed;
static unsigned long long rnd(void) { seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17; return seed; }
static long pick(const long *set, int n) { return set[rnd() % n]; }

static int fuzz(long calls)
{
    static char area[70000];
    static const int numbers[] = { SYS_read, SYS_write, SYS_open, SYS_close, SYS_stat, SYS_fstat, SYS_lstat, SYS_lseek,
        SYS_ioctl, SYS_pread64, SYS_pwrite64, SYS_readv, SYS_writev, SYS_access, SYS_pipe, SYS_dup, SYS_dup2,
        SYS_sendfile, SYS_fcntl, SYS_fsync, SYS_fdatasync, SYS_truncate, SYS_ftruncate, SYS_getcwd, SYS_chdir,
        SYS_fchdir, SYS_rename, SYS_mkdir, SYS_rmdir, SYS_creat, SYS_link, SYS_unlink, SYS_symlink, SYS_readlink,
        SYS_chmod, SYS_fchmod, SYS_chown, SYS_fchown, SYS_lchown, SYS_umask, SYS_getdents64, SYS_openat, SYS_mkdirat,
        SYS_fchownat, SYS_newfstatat, SYS_unlinkat, SYS_renameat, SYS_linkat, SYS_symlinkat, SYS_readlinkat,
        SYS_fchmodat, SYS_faccessat, SYS_utimensat, SYS_dup3, SYS_pipe2, SYS_renameat2, SYS_statx, 439, SYS_poll };
    const int count = sizeof numbers / sizeof numbers[0];
    static const char *names[] = { "/fz", "/fz/a", "/fz/b", "/fz/d", "/fz/d/e", "fz/a", "a", "..", ".", "/",
        "/etc/motd", "/dev/null", "/fz/l", "/fz/a/", "//fz//a", "" };
    long bad = 0, ok = 0, errors = 0;
    signal(SIGPIPE, SIG_IGN);      /* a write to a pipe whose reader it closed: EPIPE, not the end */
    mkdir("/fz", 0755);
    for (long i = 0; i < calls; i++) {
        long fds[] = { 3, 4, 5, 6, 7, 8, 9, 10, 20, 63, 64, -1, AT_FDCWD, 1L << 33 };
        long ptrs[] = { (long)area, (long)(area + 69990), 0, 1, BAD, KERNELISH, -1, (long)(area + 100) };
        long paths[] = { (long)names[rnd() % 16], (long)names[rnd() % 16], (long)names[rnd() % 16], 0, BAD, KERNELISH };
        long flags[] = { 0, 1, 2, 3, O_CREAT | O_RDWR, O_CREAT | O_EXCL | O_WRONLY, O_DIRECTORY, O_TRUNC | O_RDWR, O_APPEND | O_WRONLY,
            O_NONBLOCK, O_CLOEXEC, AT_EMPTY_PATH, AT_SYMLINK_NOFOLLOW, AT_REMOVEDIR, -1, (long)(rnd() & 0xffffffff) };
        long counts[] = { 0, 1, 100, 4096, 70000, 1L << 40, -1 };
        long small[] = { 0, 1, 100, 4096, 65536 };
        int n = numbers[rnd() % count];
        long a[5];
        switch (n) {
        case SYS_read: case SYS_write: case SYS_pread64: case SYS_pwrite64: case SYS_getdents64:
            a[0] = pick(fds, 14); a[1] = pick(ptrs, 8); a[2] = pick(counts, 7); a[3] = pick(small, 5); break;
        case SYS_readv: case SYS_writev:
            *(long *)area = (long)(area + 64); *(long *)(area + 8) = pick(small, 5);
            *(long *)(area + 16) = pick(ptrs, 8); *(long *)(area + 24) = pick(small, 5);
            a[0] = pick(fds, 14); a[1] = pick(ptrs, 8); a[2] = pick(small, 5) % 2000; break;
        case SYS_sendfile:
            a[0] = pick(fds, 14); a[1] = pick(fds, 14); a[2] = rnd() % 2 ? 0 : pick(ptrs, 8); a[3] = pick(small, 5); break;
        case SYS_dup2: case SYS_dup3:
            a[0] = pick(fds, 14); a[1] = pick(fds, 14); a[2] = pick(flags, 16); break;
        case SYS_poll:
            *(int *)area = (int)pick(fds, 14); *(int *)(area + 4) = (int)rnd();
            a[0] = pick(ptrs, 8); a[1] = pick(small, 5) % 3; a[2] = 0; break;
        case SYS_ftruncate: case SYS_truncate:
            a[0] = n == SYS_truncate ? pick(paths, 6) : pick(fds, 14); a[1] = pick(small, 5); break;
        case SYS_renameat2: case SYS_renameat: case SYS_linkat:
            a[0] = pick(fds, 14); a[1] = pick(paths, 6); a[2] = pick(fds, 14); a[3] = pick(paths, 6); a[4] = pick(flags, 16); break;
        case SYS_rename: case SYS_link: case SYS_symlink:
            a[0] = pick(paths, 6); a[1] = pick(paths, 6); break;
        default:
            if (n == SYS_openat || n == SYS_mkdirat || n == SYS_newfstatat || n == SYS_unlinkat || n == SYS_readlinkat ||
                n == SYS_fchmodat || n == SYS_faccessat || n == SYS_utimensat || n == SYS_fchownat || n == SYS_statx || n == 439 ||
                n == SYS_symlinkat) {
                a[0] = pick(fds, 14); a[1] = pick(paths, 6);
                a[2] = n == SYS_newfstatat || n == SYS_readlinkat || n == SYS_utimensat ? pick(ptrs, 8) : pick(flags, 16);
                a[3] = n == SYS_readlinkat ? pick(small, 5) : pick(flags, 16);
                a[4] = pick(ptrs, 8);
                if (n == SYS_symlinkat) { a[0] = pick(paths, 6); a[1] = pick(fds, 14); a[2] = pick(paths, 6); }
            } else if (n == SYS_open || n == SYS_stat || n == SYS_lstat || n == SYS_access || n == SYS_chdir || n == SYS_mkdir ||
                       n == SYS_rmdir || n == SYS_creat || n == SYS_unlink || n == SYS_readlink || n == SYS_chmod || n == SYS_chown ||
                       n == SYS_lchown) {
                a[0] = pick(paths, 6); a[1] = n == SYS_stat || n == SYS_lstat || n == SYS_readlink ? pick(ptrs, 8) : pick(flags, 16);
                a[2] = n == SYS_readlink ? pick(small, 5) : pick(flags, 16); a[3] = 0; a[4] = 0;
            } else {
                a[0] = pick(fds, 14); a[1] = n == SYS_fstat || n == SYS_getcwd || n == SYS_pipe || n == SYS_pipe2 ? pick(ptrs, 8) : pick(flags, 16);
                a[2] = n == SYS_ioctl ? pick(ptrs, 8) : pick(flags, 16); a[3] = pick(flags, 16); a[4] = 0;
                if (n == SYS_getcwd || n == SYS_pipe || n == SYS_pipe2 || n == SYS_umask || n == SYS_chdir) { a[0] = pick(ptrs, 8); a[1] = n == SYS_getcwd ? pick(small, 5) : pick(flags, 16); }
                if (n == SYS_umask) a[0] = 022;
            }
        }
        if ((n == SYS_close || n == SYS_dup2 || n == SYS_dup3) && a[n == SYS_close ? 0 : 1] >= 0 && a[n == SYS_close ? 0 : 1] <= 2) continue;
        if (n == SYS_fcntl && a[0] >= 0 && a[0] <= 2) continue;
        if (n == SYS_fchdir || n == SYS_chdir) { if (rnd() % 4) continue; }
        long r = syscall(n, a[0], a[1], a[2], a[3], a[4], 0);
        if (r == -1) r = -errno;
        if (r >= 0) ok++;
        else if (r >= -4095) errors++;
        else bad++;
        if (n == SYS_chdir || n == SYS_fchdir) chdir("/");
    }
    printf("fuzz: %ld calls made: %ld succeeded, %ld failed with an errno, %ld other answers\n", ok + errors + bad, ok, errors, bad);
    expect("fuzz: answers that are neither a count nor -errno", bad, 0);
    for (int fd = 3; fd < 64; fd++) close(fd);
    int fd = open("/after.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
    char line[9] = { 0 };
    expect("fuzz: afterwards open /after.txt gets descriptor 3", fd, 3);
    expect("fuzz: write 8 bytes", write(fd, "line one", 8), 8);
    expect("fuzz: lseek back", lseek(fd, 0, SEEK_SET), 0);
    expect("fuzz: and read \"line one\"", read(fd, line, 8) == 8 ? strcmp(line, "line one") : -1, 0);
    printf("fuzz: %d wrong\n", wrong);
    return wrong;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "fuzz") == 0) {
        setvbuf(stdout, NULL, _IOLBF, 0);
        seed = strtoull(argv[3], NULL, 0) | 1;
        return fuzz(atol(argv[2]));
    }

    char buf[256];
    struct stat st;
    setvbuf(stdout, NULL, _IOLBF, 0);      /* the console is no terminal (no termios yet) */

    /* Descriptors and fcntl. */
    int fd = open("/probe.txt", O_CREAT | O_RDWR | O_TRUNC, 0640);
    expect("open /probe.txt O_CREAT|O_RDWR (the lowest free descriptor)", fd, 3);
    expect("write 12 bytes", write(fd, "hello, files", 12), 12);
    int d = dup(fd);
    expect("dup -> 4", d, 4);
    expect("lseek through the dup (shared offset) SEEK_CUR", lseek(d, 0, SEEK_CUR), 12);
    expect("lseek SEEK_SET 7 on one", lseek(fd, 7, SEEK_SET), 7);
    expect("read 5 through the other", read(d, buf, 5), 5);
    expect("they are \"files\"", memcmp(buf, "files", 5), 0);
    expect("dup2(3, 10)", dup2(fd, 10), 10);
    expect("dup2(10, 10) (same)", dup2(10, 10), 10);
    expect("dup3(3, 3, 0): EINVAL", sys(SYS_dup3, 3, 3, 0, 0, 0), -EINVAL);
    expect("dup3 bad flags: EINVAL", sys(SYS_dup3, 3, 11, 0x1234, 0, 0), -EINVAL);
    expect("dup3(3, 11, O_CLOEXEC)", dup3(fd, 11, O_CLOEXEC), 11);
    expect("F_GETFD on 11: FD_CLOEXEC", fcntl(11, F_GETFD), FD_CLOEXEC);
    expect("F_GETFD on 10: 0", fcntl(10, F_GETFD), 0);
    expect("F_SETFD FD_CLOEXEC on 10", fcntl(10, F_SETFD, FD_CLOEXEC), 0);
    expect("F_GETFD on 10 now", fcntl(10, F_GETFD), FD_CLOEXEC);
    expect("F_DUPFD from 20", fcntl(fd, F_DUPFD, 20), 20);
    expect("F_DUPFD_CLOEXEC from 20 (20 taken)", fcntl(fd, F_DUPFD_CLOEXEC, 20), 21);
    expect("F_GETFD on 21", fcntl(21, F_GETFD), FD_CLOEXEC);
    expect("F_GETFL: O_RDWR|O_LARGEFILE", fcntl(fd, F_GETFL), O_RDWR | 0x8000);
    expect("F_SETFL O_APPEND", fcntl(fd, F_SETFL, O_APPEND), 0);
    expect("F_GETFL on the dup sees O_APPEND (one description)", fcntl(d, F_GETFL) & O_APPEND, O_APPEND);
    expect("pwrite at 0 (offset unchanged)", pwrite(fd, "H", 1, 0), 1);
    expect("append write", write(d, "!", 1), 1);
    expect("fstat size 13", fstat(fd, &st) == 0 ? st.st_size : -1, 13);
    expect("mode 0640 less umask 022", st.st_mode & 07777, 0640);
    expect("pread 13", pread(fd, buf, 64, 0), 13);
    expect("the bytes are \"Hello, files!\"", memcmp(buf, "Hello, files!", 13), 0);
    expect("fcntl unknown command: EINVAL", sys(SYS_fcntl, fd, 9999, 0, 0, 0), -EINVAL);
    expect("F_DUPFD past the table: EINVAL", sys(SYS_fcntl, fd, F_DUPFD, 100000, 0, 0), -EINVAL);
    for (int i = 4; i < 30; i++) if (i != 10) close(i);
    expect("close 10", close(10), 0);
    expect("close 10 again: EBADF", sys(SYS_close, 10, 0, 0, 0, 0), -EBADF);

    /* Descriptor exhaustion: EMFILE, then everything closes again. */
    int opened = 0, last = 0;
    for (;;) {
        long r = sys(SYS_openat, AT_FDCWD, (long)"/probe.txt", O_RDONLY, 0, 0);
        if (r < 0) { last = (int)r; break; }
        opened++;
    }
    expect("opens until the table is full (64 less 0-3)", opened, 60);
    expect("then EMFILE", last, -EMFILE);
    expect("dup when full: EMFILE", sys(SYS_dup, 3, 0, 0, 0, 0), -EMFILE);
    expect("pipe when full: EMFILE", sys(SYS_pipe2, (long)buf, 0, 0, 0, 0), -EMFILE);
    for (int i = 4; i < 64; i++) close(i);
    expect("after closing them, open gets 4", open("/probe.txt", O_RDONLY), 4);
    close(4);

    /* Wrong descriptors and wrong kinds. */
    expect("read on 99: EBADF", sys(SYS_read, 99, (long)buf, 1, 0, 0), -EBADF);
    expect("read on -1: EBADF", sys(SYS_read, -1, (long)buf, 1, 0, 0), -EBADF);
    expect("write on a huge descriptor: EBADF", sys(SYS_write, 0x7fffffff, (long)buf, 1, 0, 0), -EBADF);
    expect("fstat on 63 (closed): EBADF", sys(SYS_fstat, 63, (long)&st, 0, 0, 0), -EBADF);
    expect("lseek on 0 (the console): ESPIPE", sys(SYS_lseek, 0, 0, SEEK_CUR, 0, 0), -ESPIPE);
    expect("lseek whence 7: EINVAL", sys(SYS_lseek, 3, 0, 7, 0, 0), -EINVAL);
    expect("lseek to -1: EINVAL", sys(SYS_lseek, 3, -1, SEEK_SET, 0, 0), -EINVAL);
    expect("getdents64 on a file: ENOTDIR", sys(SYS_getdents64, 3, (long)buf, sizeof buf, 0, 0), -ENOTDIR);
    expect("openat relative to a file descriptor: ENOTDIR", sys(SYS_openat, 3, (long)"x", O_RDONLY, 0, 0), -ENOTDIR);
    expect("openat relative to a closed descriptor: EBADF", sys(SYS_openat, 50, (long)"x", O_RDONLY, 0, 0), -EBADF);
    expect("open a directory for writing: EISDIR", sys(SYS_open, (long)"/etc", O_WRONLY, 0, 0, 0), -EISDIR);
    expect("open O_DIRECTORY on a file: ENOTDIR", sys(SYS_open, (long)"/probe.txt", O_RDONLY | O_DIRECTORY, 0, 0, 0), -ENOTDIR);
    expect("open O_CREAT|O_EXCL on an existing file: EEXIST", sys(SYS_open, (long)"/probe.txt", O_CREAT | O_EXCL | O_WRONLY, 0600, 0, 0), -EEXIST);
    expect("open with access mode 3: EINVAL", sys(SYS_open, (long)"/probe.txt", 3, 0, 0, 0), -EINVAL);
    expect("open O_TMPFILE: EOPNOTSUPP", sys(SYS_open, (long)"/", 0x410000 | O_RDWR, 0600, 0, 0), -EOPNOTSUPP);
    int dir = open("/etc", O_RDONLY | O_DIRECTORY);
    expect("open /etc O_DIRECTORY", dir, 4);
    expect("read on a directory: EISDIR", sys(SYS_read, dir, (long)buf, 10, 0, 0), -EISDIR);
    expect("ftruncate on a directory: EINVAL", sys(SYS_ftruncate, dir, 0, 0, 0, 0), -EINVAL);
    expect("write on a read-only directory descriptor: EBADF", sys(SYS_write, dir, (long)buf, 1, 0, 0), -EBADF);
    int motd = openat(dir, "motd", O_RDONLY);
    expect("openat(/etc, \"motd\")", motd, 5);
    expect("read it", read(motd, buf, 8), 8);
    expect("\"line one\"", memcmp(buf, "line one", 8), 0);
    expect("write on a read-only file: EBADF", sys(SYS_write, motd, (long)buf, 1, 0, 0), -EBADF);
    expect("fstatat(dir, \"motd\") size", fstatat(dir, "motd", &st, 0) == 0 ? st.st_size : -1, 29);
    expect("fstatat(motd, \"\", AT_EMPTY_PATH) size", fstatat(motd, "", &st, AT_EMPTY_PATH) == 0 ? st.st_size : -1, 29);
    expect("fstatat(motd, \"\", 0): ENOENT", sys(SYS_newfstatat, motd, (long)"", (long)&st, 0, 0), -ENOENT);
    expect("fstatat bad flags: EINVAL", sys(SYS_newfstatat, AT_FDCWD, (long)"/", (long)&st, 0x8000000, 0), -EINVAL);
    char list[256];
    expect("getdents64 on /etc with a 32-byte buffer: one entry a call", names(dir, 32, list), 4);
    printf("probe: /etc holds: %s\n", list);
    expect("they are . .. motd passwd", strcmp(list, ". .. motd passwd"), 0);
    expect("at the end: 0", sys(SYS_getdents64, dir, (long)buf, sizeof buf, 0, 0), 0);
    expect("lseek the directory back to 0", lseek(dir, 0, SEEK_SET), 0);
    expect("getdents64 with a 10-byte buffer: EINVAL", sys(SYS_getdents64, dir, (long)buf, 10, 0, 0), -EINVAL);
    expect("all of them in one call", names(dir, 512, list), 1);
    expect("fchdir to /etc", fchdir(dir), 0);
    expect("getcwd", getcwd(buf, sizeof buf) != NULL ? strcmp(buf, "/etc") : -1, 0);
    expect("getcwd into 3 bytes: ERANGE", sys(SYS_getcwd, (long)buf, 3, 0, 0, 0), -ERANGE);
    expect("relative open after fchdir", open("passwd", O_RDONLY), 6);
    expect("chdir ../home/guest", chdir("../home/guest"), 0);
    expect("getcwd folds ..", getcwd(buf, sizeof buf) != NULL ? strcmp(buf, "/home/guest") : -1, 0);
    expect("chdir to a file: ENOTDIR", sys(SYS_chdir, (long)"words", 0, 0, 0, 0), -ENOTDIR);
    expect("fchdir to a file: ENOTDIR", sys(SYS_fchdir, motd, 0, 0, 0, 0), -ENOTDIR);
    expect("fsync a file", fsync(motd), 0);
    expect("fsync the console: EINVAL", sys(SYS_fsync, 1, 0, 0, 0, 0), -EINVAL);
    chdir("/");
    close(6); close(5); close(4);

    /* Path calls. */
    expect("umask 077 (old 022)", umask(077), 022);
    expect("mkdir /d", mkdir("/d", 0777), 0);
    expect("stat /d mode 0700 (umask)", stat("/d", &st) == 0 ? (long)(st.st_mode & 07777) : -1, 0700);
    umask(022);
    expect("mkdir /d again: EEXIST", sys(SYS_mkdir, (long)"/d", 0755, 0, 0, 0), -EEXIST);
    expect("mkdirat under a missing parent: ENOENT", sys(SYS_mkdirat, AT_FDCWD, (long)"/no/such", 0755, 0, 0), -ENOENT);
    expect("symlink /d/l -> /probe.txt", symlink("/probe.txt", "/d/l"), 0);
    expect("readlink /d/l", readlink("/d/l", buf, sizeof buf), 10);
    expect("readlink into 0 bytes: EINVAL", sys(SYS_readlink, (long)"/d/l", (long)buf, 0, 0, 0), -EINVAL);
    expect("readlink of a file: EINVAL", sys(SYS_readlink, (long)"/probe.txt", (long)buf, 10, 0, 0), -EINVAL);
    expect("lstat /d/l is a link", lstat("/d/l", &st) == 0 ? S_ISLNK(st.st_mode) : -1, 1);
    expect("stat /d/l follows to 13 bytes", stat("/d/l", &st) == 0 ? st.st_size : -1, 13);
    expect("open O_NOFOLLOW on a link: ELOOP", sys(SYS_open, (long)"/d/l", O_RDONLY | O_NOFOLLOW, 0, 0, 0), -ELOOP);
    expect("link /probe.txt /d/hard", link("/probe.txt", "/d/hard"), 0);
    expect("nlink 2", stat("/probe.txt", &st) == 0 ? (long)st.st_nlink : -1, 2);
    expect("link a directory: EPERM", sys(SYS_link, (long)"/d", (long)"/d2", 0, 0, 0), -EPERM);
    expect("renameat2 RENAME_NOREPLACE onto an existing name: EEXIST", sys(SYS_renameat2, AT_FDCWD, (long)"/d/hard", AT_FDCWD, (long)"/probe.txt", 1), -EEXIST);
    expect("renameat2 RENAME_EXCHANGE: EINVAL", sys(SYS_renameat2, AT_FDCWD, (long)"/d/hard", AT_FDCWD, (long)"/probe.txt", 2), -EINVAL);
    expect("rename /d/hard /d/moved", rename("/d/hard", "/d/moved"), 0);
    expect("rmdir a non-empty /d: ENOTEMPTY", sys(SYS_rmdir, (long)"/d", 0, 0, 0, 0), -ENOTEMPTY);
    expect("unlink a directory: EISDIR", sys(SYS_unlink, (long)"/d", 0, 0, 0, 0), -EISDIR);
    expect("unlinkat bad flags: EINVAL", sys(SYS_unlinkat, AT_FDCWD, (long)"/d/l", 0x4000, 0, 0), -EINVAL);
    expect("truncate /d/moved to 5", truncate("/d/moved", 5), 0);
    expect("size 5 (one inode, two names)", stat("/probe.txt", &st) == 0 ? st.st_size : -1, 5);
    expect("truncate to -1: EINVAL", sys(SYS_truncate, (long)"/probe.txt", -1, 0, 0, 0), -EINVAL);
    expect("truncate a directory: EISDIR", sys(SYS_truncate, (long)"/d", 0, 0, 0, 0), -EISDIR);
    expect("chmod 0600", chmod("/probe.txt", 0600), 0);
    expect("mode 0600", stat("/probe.txt", &st) == 0 ? (long)(st.st_mode & 07777) : -1, 0600);
    expect("access X_OK on a 0600 file: EACCES", sys(SYS_access, (long)"/probe.txt", X_OK, 0, 0, 0), -EACCES);
    expect("access R_OK|W_OK", access("/probe.txt", R_OK | W_OK), 0);
    expect("access bad mode: EINVAL", sys(SYS_access, (long)"/probe.txt", 64, 0, 0, 0), -EINVAL);
    expect("faccessat2 bad flags: EINVAL", sys(439, AT_FDCWD, (long)"/probe.txt", 0, 0x40000, 0), -EINVAL);
    struct timespec times[2] = { { 1000000000, 0 }, { 1234567890, 0 } };
    expect("utimensat", utimensat(AT_FDCWD, "/probe.txt", times, 0), 0);
    expect("mtime 1234567890", stat("/probe.txt", &st) == 0 ? st.st_mtime : -1, 1234567890);
    times[0].tv_nsec = 2000000000;
    expect("utimensat bad nanoseconds: EINVAL", sys(SYS_utimensat, AT_FDCWD, (long)"/probe.txt", (long)times, 0, 0), -EINVAL);
    expect("statx size", sys(SYS_statx, AT_FDCWD, (long)"/probe.txt", 0, 0x7ff, (long)buf) == 0 ? (long)*(unsigned long long *)(buf + 40) : -1, 5);
    int held = open("/d/held", O_CREAT | O_RDWR, 0644);
    expect("open /d/held", held >= 0, 1);
    expect("unlink it while open: EBUSY (no unlinked open files on C-FFS yet)", sys(SYS_unlink, (long)"/d/held", 0, 0, 0, 0), -EBUSY);
    expect("rename it to another directory while open: EBUSY", sys(SYS_rename, (long)"/d/held", (long)"/held2", 0, 0, 0), -EBUSY);
    expect("rename another file over it while open: EBUSY", sys(SYS_rename, (long)"/d/moved", (long)"/d/held", 0, 0, 0), -EBUSY);
    expect("rename it within its directory while open", rename("/d/held", "/d/held3"), 0);
    expect("write through it after", write(held, "kept", 4), 4);
    expect("stat /d/held3 size 4", stat("/d/held3", &st) == 0 ? st.st_size : -1, 4);
    expect("link a second name, then unlink one while open", link("/d/held3", "/d/held4") == 0 ? unlink("/d/held3") : -1, 0);
    close(held);
    expect("unlink the last name once closed", unlink("/d/held4"), 0);
    expect("unlinkat AT_REMOVEDIR on a file: ENOTDIR", sys(SYS_unlinkat, AT_FDCWD, (long)"/d/moved", AT_REMOVEDIR, 0, 0), -ENOTDIR);
    expect("unlink /d/moved", unlink("/d/moved"), 0);
    expect("unlink /d/l", unlink("/d/l"), 0);
    expect("rmdir /d", rmdir("/d"), 0);
    expect("stat /d: ENOENT", sys(SYS_stat, (long)"/d", (long)&st, 0, 0, 0), -ENOENT);

    /* Garbage pointers, lengths and paths: EFAULT, ENAMETOOLONG, never a crash. */
    long bads[] = { 0, 1, BAD, KERNELISH, -1 };
    for (int i = 0; i < 5; i++) {
        char what[96];
        long p = bads[i];
        snprintf(what, sizeof what, "pointer %#lx: open", p);
        expect(what, sys(SYS_open, p, O_RDONLY, 0, 0, 0), -EFAULT);
        snprintf(what, sizeof what, "pointer %#lx: read", p);
        expect(what, sys(SYS_read, 3, p, 10, 0, 0), -EFAULT);
        snprintf(what, sizeof what, "pointer %#lx: write", p);
        expect(what, sys(SYS_write, 1, p, 10, 0, 0), -EFAULT);
        snprintf(what, sizeof what, "pointer %#lx: fstat", p);
        expect(what, sys(SYS_fstat, 3, p, 0, 0, 0), -EFAULT);
        snprintf(what, sizeof what, "pointer %#lx: newfstatat path", p);
        expect(what, sys(SYS_newfstatat, AT_FDCWD, p, (long)&st, 0, 0), -EFAULT);
        snprintf(what, sizeof what, "pointer %#lx: newfstatat buffer", p);
        expect(what, sys(SYS_newfstatat, AT_FDCWD, (long)"/", p, 0, 0), -EFAULT);
        snprintf(what, sizeof what, "pointer %#lx: writev vector", p);
        expect(what, sys(SYS_writev, 1, p, 2, 0, 0), -EFAULT);
        snprintf(what, sizeof what, "pointer %#lx: pipe2", p);
        expect(what, sys(SYS_pipe2, p, 0, 0, 0, 0), -EFAULT);
        snprintf(what, sizeof what, "pointer %#lx: getcwd", p);
        expect(what, sys(SYS_getcwd, p, 100, 0, 0, 0), -EFAULT);
        snprintf(what, sizeof what, "pointer %#lx: rename", p);
        expect(what, sys(SYS_rename, (long)"/probe.txt", p, 0, 0, 0), -EFAULT);
        snprintf(what, sizeof what, "pointer %#lx: readlink buffer", p);
        expect(what, sys(SYS_readlink, (long)"/bin/sh-link", p, 10, 0, 0) == -EFAULT || sys(SYS_readlink, (long)"/bin/sh-link", p, 10, 0, 0) == -ENOENT, 1);
        snprintf(what, sizeof what, "pointer %#lx: getdents64", p);
        expect(what, sys(SYS_getdents64, 3, p, 100, 0, 0) == -EFAULT || sys(SYS_getdents64, 3, p, 100, 0, 0) == -ENOTDIR, 1);
        snprintf(what, sizeof what, "pointer %#lx: statx", p);
        expect(what, sys(SYS_statx, AT_FDCWD, (long)"/", 0, 0x7ff, p), -EFAULT);
        snprintf(what, sizeof what, "pointer %#lx: utimensat times", p);
        expect(what, p == 0 ? -EFAULT : sys(SYS_utimensat, AT_FDCWD, (long)"/probe.txt", p, 0, 0), -EFAULT);
    }
    struct iovec vec[2] = { { (void *)"ok ", 3 }, { (void *)BAD, 5 } };
    expect("writev with one bad buffer: EFAULT, nothing written", sys(SYS_writev, 1, (long)vec, 2, 0, 0), -EFAULT);
    expect("writev 2000 buffers: EINVAL", sys(SYS_writev, 1, (long)vec, 2000, 0, 0), -EINVAL);
    static char longpath[5000];
    memset(longpath, 'a', sizeof longpath - 1);
    expect("a 4999-byte path: ENAMETOOLONG", sys(SYS_open, (long)longpath, O_RDONLY, 0, 0, 0), -ENAMETOOLONG);
    expect("a 300-byte name: ENAMETOOLONG", sys(SYS_mkdir, (long)(longpath + 4999 - 300), 0755, 0, 0, 0), -ENAMETOOLONG);
    expect("read a huge count into a small buffer: EFAULT", sys(SYS_read, 3, (long)buf, 1L << 40, 0, 0), -EFAULT);

    /* Pipes in one process. */
    int p[2];
    expect("pipe2(O_CLOEXEC)", pipe2(p, O_CLOEXEC), 0);
    expect("its ends are 4 and 5", p[0] * 10 + p[1], 45);
    expect("F_GETFD: FD_CLOEXEC", fcntl(p[0], F_GETFD), FD_CLOEXEC);
    expect("F_GETFL of the write end: O_WRONLY", fcntl(p[1], F_GETFL), O_WRONLY);
    expect("fstat: a FIFO", fstat(p[0], &st) == 0 ? S_ISFIFO(st.st_mode) : -1, 1);
    expect("write 5", write(p[1], "pipe!", 5), 5);
    int n = -1;
    expect("FIONREAD", ioctl(p[0], 0x541B, &n) == 0 ? n : -1, 5);
    expect("read 3", read(p[0], buf, 3), 3);
    expect("read the rest (2)", read(p[0], buf + 3, 10), 2);
    expect("the bytes", memcmp(buf, "pipe!", 5), 0);
    expect("read on the write end: EBADF", sys(SYS_read, p[1], (long)buf, 1, 0, 0), -EBADF);
    expect("write on the read end: EBADF", sys(SYS_write, p[0], (long)buf, 1, 0, 0), -EBADF);
    expect("lseek on a pipe: ESPIPE", sys(SYS_lseek, p[0], 0, SEEK_SET, 0, 0), -ESPIPE);
    expect("empty, every writer ours: EDEADLK (not a hang)", sys(SYS_read, p[0], (long)buf, 1, 0, 0), -EDEADLK);
    expect("F_SETFL O_NONBLOCK on the read end", fcntl(p[0], F_SETFL, O_NONBLOCK), 0);
    expect("empty, non-blocking: EAGAIN", sys(SYS_read, p[0], (long)buf, 1, 0, 0), -EAGAIN);
    static char big[20000];
    memset(big, 'x', sizeof big);
    fcntl(p[1], F_SETFL, O_NONBLOCK);
    expect("a 20000-byte non-blocking write fills the pipe (8128)", write(p[1], big, sizeof big), 8128);
    expect("full: EAGAIN", sys(SYS_write, p[1], (long)big, 1, 0, 0), -EAGAIN);
    fcntl(p[1], F_SETFL, 0);
    expect("full, every reader ours: EDEADLK (not a hang)", sys(SYS_write, p[1], (long)big, 100, 0, 0), -EDEADLK);
    long total = 0, r;
    while ((r = read(p[0], big, sizeof big)) > 0) total += r;
    expect("drained 8128", total, 8128);
    int w2 = dup(p[1]);
    expect("dup of the write end", w2, 6);
    expect("close one write end", close(p[1]), 0);
    fcntl(p[0], F_SETFL, 0);
    expect("one writer left (ours): still EDEADLK, not EOF", sys(SYS_read, p[0], (long)buf, 1, 0, 0), -EDEADLK);
    expect("write through the dup", write(w2, "z", 1), 1);
    expect("close the last write end", close(w2), 0);
    expect("the buffered byte still reads", read(p[0], buf, 10), 1);
    expect("then end of file", read(p[0], buf, 10), 0);
    /* poll on a pipe's ends. */
    int q[2];
    expect("pipe for poll", pipe(q), 0);
    struct pollfd pf[3] = { { q[0], POLLIN, 0 }, { q[1], POLLOUT, 0 }, { 60, POLLIN, 0 } };
    expect("poll: the write end writable, the closed descriptor POLLNVAL", poll(pf, 3, 0), 2);
    expect("revents", pf[0].revents * 10000 + pf[1].revents * 100 + pf[2].revents, 0 * 10000 + POLLOUT * 100 + POLLNVAL);
    struct timespec before, after;
    clock_gettime(CLOCK_MONOTONIC, &before);
    expect("poll the empty read end with a 50 ms timeout: 0", poll(pf, 1, 50), 0);
    clock_gettime(CLOCK_MONOTONIC, &after);
    long waited = (after.tv_sec - before.tv_sec) * 1000 + (after.tv_nsec - before.tv_nsec) / 1000000;
    expect("it waited at least 40 ms", waited >= 40, 1);
    expect("poll with no timeout, every writer ours: EDEADLK (not a hang)", sys(SYS_poll, (long)pf, 1, -1, 0, 0), -EDEADLK);
    write(q[1], "x", 1);
    expect("after a write: POLLIN", poll(pf, 1, -1) == 1 ? pf[0].revents : -1, POLLIN);
    close(q[1]);
    expect("writer closed: POLLIN|POLLHUP", poll(pf, 1, 0) == 1 ? pf[0].revents : -1, POLLIN | POLLHUP);
    struct timespec zero_ts = { 0, 0 };
    expect("ppoll with a zero timespec", sys(SYS_ppoll, (long)pf, 1, (long)&zero_ts, 0, 8), 1);
    expect("ppoll bad timespec: EINVAL", sys(SYS_ppoll, (long)pf, 1, (long)&(struct timespec){ 0, 2000000000 }, 0, 8), -EINVAL);
    expect("poll a bad array: EFAULT", sys(SYS_poll, BAD, 1, 0, 0, 0), -EFAULT);
    expect("poll 100000 descriptors: EINVAL", sys(SYS_poll, (long)pf, 100000, 0, 0, 0), -EINVAL);
    close(q[0]);

    expect("pipe2 again (slot reuse)", pipe(p), 0);
    expect("close the read end", close(p[0]), 0);
    signal(SIGPIPE, SIG_IGN);      /* else SIGPIPE ends the process, as on Linux */
    expect("write with no reader: EPIPE", sys(SYS_write, p[1], (long)"x", 1, 0, 0), -EPIPE);
    signal(SIGPIPE, SIG_DFL);
    close(p[1]);
    expect("pipe2 bad flags: EINVAL", sys(SYS_pipe2, (long)p, 0x1, 0, 0, 0), -EINVAL);
    int created = 0;
    for (int i = 0; i < 40; i++) {
        if (pipe(p) != 0) break;
        created++;
        write(p[1], "q", 1);
        close(p[0]);
        close(p[1]);
    }
    expect("40 pipes made and closed one after another", created, 40);

    /* The devices the library OS makes itself. */
    int null = open("/dev/null", O_RDWR);
    expect("open /dev/null", null >= 0, 1);
    expect("write 5 to /dev/null", write(null, "gone!", 5), 5);
    expect("read /dev/null: end of file", read(null, buf, 10), 0);
    expect("fstat /dev/null: character device 1,3", fstat(null, &st) == 0 && S_ISCHR(st.st_mode) ? (long)st.st_rdev : -1, 0x103);
    close(null);
    int zero = open("/dev/../dev/zero", O_RDONLY);
    memset(buf, 7, 16);
    expect("read 16 from /dev/zero", read(zero, buf, 16), 16);
    expect("zeros", buf[0] | buf[15], 0);
    expect("write to read-only /dev/zero: EBADF", sys(SYS_write, zero, (long)buf, 1, 0, 0), -EBADF);
    close(zero);
    int full = open("/dev/full", O_RDWR);
    memset(buf, 7, 16);
    expect("read 16 from /dev/full: zeros", read(full, buf, 16) == 16 ? buf[0] | buf[15] : -1, 0);
    expect("write to /dev/full: ENOSPC", sys(SYS_write, full, (long)buf, 1, 0, 0), -ENOSPC);
    close(full);
    int urandom = open("/dev/urandom", O_RDONLY);
    unsigned char r1[32] = { 0 }, r2[32] = { 0 };
    expect("read 32 from /dev/urandom, twice, differing", read(urandom, r1, 32) == 32 && read(urandom, r2, 32) == 32 && memcmp(r1, r2, 32) != 0, 1);
    expect("fstat /dev/urandom: character device 1,9", fstat(urandom, &st) == 0 && S_ISCHR(st.st_mode) ? (long)st.st_rdev : -1, 0x109);
    close(urandom);
    expect("stat /dev/tty: the console", stat("/dev/tty", &st) == 0 ? (long)st.st_rdev : -1, 0x500);

    /* sendfile and dup2 onto stdout. */
    int src = open("/etc/motd", O_RDONLY);
    int dst = open("/copy.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    off_t off = 5;
    expect("sendfile 9 bytes from offset 5", sys(SYS_sendfile, dst, src, (long)&off, 9, 0), 9);
    expect("the offset advanced to 14", off, 14);
    expect("sendfile to a read-only descriptor: EBADF", sys(SYS_sendfile, src, src, 0, 9, 0), -EBADF);
    int saved = dup(1);
    expect("dup2 the file onto stdout", dup2(dst, 1), 1);
    printf("through stdout\n");
    fflush(stdout);
    expect("dup2 the console back", dup2(saved, 1), 1);
    close(saved);
    close(dst);
    close(src);
    dst = open("/copy.txt", O_RDONLY);
    n = read(dst, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    printf("probe: /copy.txt read back: %d bytes:", n);
    for (int i = 0; i < n; i++) printf(" %02x", (unsigned char)buf[i]);
    printf("\n");
    expect("/copy.txt holds the 9 bytes, dup2's own line and \"through stdout\\n\"",
           strcmp(buf, "one\nline probe: dup2 the file onto stdout -> 1 ok\nthrough stdout\n"), 0);
    close(dst);

    /* Measured: 4 MiB written in 64 KiB writes (then fsync), read back in 64 KiB reads. */
    static char chunk[65536];
    for (int i = 0; i < (int)sizeof chunk; i++) chunk[i] = (char)(i * 13);
    struct timespec t0, t1, t2;
    int big_fd = open("/big.bin", O_CREAT | O_RDWR | O_TRUNC, 0644);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    long moved = 0;
    for (int i = 0; i < 64; i++) moved += write(big_fd, chunk, sizeof chunk);
    fsync(big_fd);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    expect("4 MiB written", moved, 4 << 20);
    lseek(big_fd, 0, SEEK_SET);
    long back = 0, differ = 0;
    for (;;) {
        long got = read(big_fd, big, sizeof big < sizeof chunk ? sizeof big : sizeof chunk);
        if (got <= 0) break;
        for (long i = 0; i < got; i++) if (big[i] != (char)((back + i) % 65536 * 13)) differ++;
        back += got;
    }
    clock_gettime(CLOCK_MONOTONIC, &t2);
    expect("4 MiB read back", back, 4 << 20);
    expect("bytes that differ", differ, 0);
    long wms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    long rms = (t2.tv_sec - t1.tv_sec) * 1000 + (t2.tv_nsec - t1.tv_nsec) / 1000000;
    printf("probe: measured: 4 MiB written and synced in %ld ms, read back (20,000-byte reads, checked) in %ld ms (10 ms clock, TCG)\n", wms, rms);
    close(big_fd);
    unlink("/big.bin");

    /* Measured: the cost of a call: 20,000 lseek(SEEK_CUR) on a file, 10,000 one-byte write+read
     * pairs through a pipe. */
    int lf = open("/etc/motd", O_RDONLY);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    long sum = 0;
    for (int i = 0; i < 20000; i++) sum += lseek(lf, 0, SEEK_CUR);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    close(lf);
    int pp[2];
    pipe(pp);
    long pairs = 0;
    for (int i = 0; i < 10000; i++) pairs += write(pp[1], "b", 1) == 1 && read(pp[0], buf, 1) == 1;
    clock_gettime(CLOCK_MONOTONIC, &t2);
    close(pp[0]);
    close(pp[1]);
    expect("20000 lseeks at offset 0", sum, 0);
    expect("10000 one-byte pairs through a pipe", pairs, 10000);
    long lns = ((t1.tv_sec - t0.tv_sec) * 1000000000L + (t1.tv_nsec - t0.tv_nsec)) / 20000;
    long pns = ((t2.tv_sec - t1.tv_sec) * 1000000000L + (t2.tv_nsec - t1.tv_nsec)) / 10000;
    printf("probe: measured: lseek %ld ns a call, a one-byte pipe write+read %ld ns a pair (10 ms clock, TCG)\n", lns, pns);

    printf("probe: %d wrong\n", wrong);
    return wrong;
}
