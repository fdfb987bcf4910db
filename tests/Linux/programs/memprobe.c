/*
 * Memory and mount calls of the Linux library OS, checked from a static glibc program: an
 * anonymous mmap touched lazily, MAP_POPULATE, mprotect read-only (a write is SIGSEGV with
 * SEGV_ACCERR) and back, PROT_NONE keeping the contents, munmap (a later touch faults),
 * MAP_FIXED_NOREPLACE, mprotect's and mmap's errors, a page a fork shares made writable again
 * in the child without reaching the parent, mount and umount2 of proc. Prints each check with
 * the value it got; exits with the number of failures.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;
static sigjmp_buf back;
static volatile int fault_code;

static void check(const char *what, long got, long want)
{
    printf("memprobe: %s: got %ld%s\n", what, got, got == want ? "" : " (FAIL)");
    if (got != want) failures++;
}

static void on_segv(int sig, siginfo_t *info, void *context)
{
    fault_code = info->si_code;
    siglongjmp(back, 1);
}

/* 1 when writing (or reading) *p faults, with fault_code set. */
static int faults(volatile char *p, int write)
{
    fault_code = 0;
    if (sigsetjmp(back, 1)) return 1;
    if (write) *p = 7; else (void)*p;
    return 0;
}

static long err(long r) { return r < 0 ? -errno : r; }

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    long page = 4096;

    char *a = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    check("mmap of 4 pages", a != MAP_FAILED, 1);
    check("an untouched page reads 0", a[3 * page + 5], 0);
    a[0] = 42;
    check("a written page keeps it", a[0], 42);
    char *b = mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    check("MAP_POPULATE read-only: a write faults", faults(b, 1), 1);
    check("mprotect read-only", mprotect(a, page, PROT_READ), 0);
    check("a write to it faults", faults(a, 1), 1);
    check("si_code SEGV_ACCERR", fault_code, SEGV_ACCERR);
    check("a read does not", faults(a, 0), 0);
    check("mprotect read-write", mprotect(a, page, PROT_READ | PROT_WRITE), 0);
    check("the write works again", faults(a, 1), 0);
    a[page] = 9;
    check("mprotect PROT_NONE", mprotect(a + page, page, PROT_NONE), 0);
    check("a read of it faults", faults(a + page, 0), 1);
    check("mprotect back: the contents kept", mprotect(a + page, page, PROT_READ | PROT_WRITE) == 0 ? a[page] : -1, 9);
    mprotect(a, page, PROT_READ);
    check("getrandom into a read-only page: EFAULT", err(syscall(SYS_getrandom, a, 4, 0)), -EFAULT);
    mprotect(a, page, PROT_READ | PROT_WRITE);
    check("mprotect unaligned: EINVAL", err(mprotect(a + 1, page, PROT_READ)), -EINVAL);
    check("mprotect bad bits: EINVAL", err(mprotect(a, page, 0x40)), -EINVAL);
    check("mprotect of nothing mapped: ENOMEM", err(mprotect((void *)0x7000000000, page, PROT_READ)), -ENOMEM);
    check("MAP_FIXED_NOREPLACE over a mapping: EEXIST",
          err((long)mmap(a, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0)), -EEXIST);
    check("mmap with an unaligned offset: EINVAL", err((long)mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 1)), -EINVAL);
    check("munmap of a page", munmap(a + 2 * page, page), 0);
    check("a touch after munmap faults", faults(a + 2 * page, 0), 1);
    check("the next page is still there", faults(a + 3 * page, 1), 0);

    a[0] = 1;
    mprotect(a, page, PROT_READ);
    pid_t child = fork();
    if (child == 0) {
        int ok = mprotect(a, page, PROT_READ | PROT_WRITE) == 0 && !faults(a, 1) && a[0] == 7;
        _exit(ok ? 0 : 1);
    }
    int status = -1;
    waitpid(child, &status, 0);
    check("the child made the shared page writable and wrote it", WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0);
    check("the parent's page kept its byte", a[0], 1);

    mkdir("/proc", 0555);
    check("mount proc", err(mount("proc", "/proc", "proc", 0, NULL)), 0);
    check("mount proc again: EBUSY", err(mount("proc", "/proc", "proc", 0, NULL)), -EBUSY);
    check("mount of an unknown type: ENODEV", err(mount("x", "/mnt", "nosuchfs", 0, NULL)), -ENODEV);
    check("mount with a bad type pointer: EFAULT", err(mount("x", "/proc", (const char *)8, 0, NULL)), -EFAULT);
    check("mount with MS_BIND: EINVAL", err(mount("/a", "/proc", "proc", MS_BIND, NULL)), -EINVAL);
    check("umount2 /proc", err(umount2("/proc", 0)), 0);
    check("umount2 /proc again: EINVAL", err(umount2("/proc", 0)), -EINVAL);
    printf("memprobe: %d failures\n", failures);
    return failures;
}
