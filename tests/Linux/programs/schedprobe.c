/*
 * SCHED_FIFO on the Linux library OS: two processes at one real-time priority alternate
 * strictly at sched_yield. Once the child says it runs, each writes its letter into a pipe,
 * then yields, 20 times; the parent then reads the 40 letters and checks that they alternate
 * (a clock tick that preempts one between its write and its yield would break it: the
 * kernel's time slices know no priorities). Also the policy calls'
 * answers and their errors. Prints each check with the value it got; exits with the number
 * of failures.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;

static void check(const char *what, long got, long want)
{
    printf("schedprobe: %s: got %ld%s\n", what, got, got == want ? "" : " (FAIL)");
    if (got != want) failures++;
}

int main(void)
{
    struct sched_param p = { .sched_priority = 0 };
    check("sched_setscheduler FIFO priority 0: EINVAL", sched_setscheduler(0, SCHED_FIFO, &p) < 0 ? -errno : 0, -EINVAL);
    check("sched_setscheduler policy 7: EINVAL", sched_setscheduler(0, 7, &p) < 0 ? -errno : 0, -EINVAL);
    check("sched_setscheduler bad pointer: EFAULT", syscall(SYS_sched_setscheduler, 0, SCHED_FIFO, (void *)16) < 0 ? -errno : 0, -EFAULT);
    check("sched_setscheduler missing pid: ESRCH", sched_setscheduler(0x7ffffff0, SCHED_OTHER, &p) < 0 ? -errno : 0, -ESRCH);
    unsigned long mask[2] = { 0, 0 };
    check("sched_getaffinity: 8 bytes", syscall(SYS_sched_getaffinity, 0, sizeof mask, mask), 8);
    check("its mask: CPU 0 alone", (long)mask[0], 1);
    check("sched_getaffinity size 4: EINVAL", syscall(SYS_sched_getaffinity, 0, 4, mask) < 0 ? -errno : 0, -EINVAL);
    check("sched_getaffinity bad mask: EFAULT", syscall(SYS_sched_getaffinity, 0, 8, (void *)16) < 0 ? -errno : 0, -EFAULT);
    check("sched_setaffinity to CPU 0", syscall(SYS_sched_setaffinity, 0, 8, mask), 0);
    mask[0] = 2;
    check("sched_setaffinity to CPU 1 alone: EINVAL", syscall(SYS_sched_setaffinity, 0, 8, mask) < 0 ? -errno : 0, -EINVAL);
    check("sched_getaffinity missing pid: ESRCH", syscall(SYS_sched_getaffinity, 0x7ffffff0, 8, mask) < 0 ? -errno : 0, -ESRCH);
    check("sched_get_priority_max FIFO", sched_get_priority_max(SCHED_FIFO), 99);
    check("sched_get_priority_min RR", sched_get_priority_min(SCHED_RR), 1);
    p.sched_priority = 1;
    check("sched_setscheduler FIFO 1", sched_setscheduler(0, SCHED_FIFO, &p), 0);
    check("sched_getscheduler", sched_getscheduler(0), SCHED_FIFO);
    struct sched_param q = { 0 };
    sched_getparam(0, &q);
    check("sched_getparam priority", q.sched_priority, 1);

    int fds[2], ready[2];
    if (pipe(fds) < 0 || pipe(ready) < 0) return 99;
    pid_t child = fork();
    if (child == 0) {
        check("the child inherits SCHED_FIFO", sched_getscheduler(0), SCHED_FIFO);
        write(ready[1], "r", 1);                /* both loops start once the child runs */
        for (int i = 0; i < 20; i++) { write(fds[1], "C", 1); sched_yield(); }
        _exit(0);
    }
    char r;
    read(ready[0], &r, 1);
    for (int i = 0; i < 20; i++) { write(fds[1], "P", 1); sched_yield(); }
    int status;
    waitpid(child, &status, 0);
    close(fds[1]);
    char letters[64];
    int n = 0, got;
    while (n < 63 && (got = read(fds[0], letters + n, 63 - n)) > 0) n += got;
    letters[n] = 0;
    int breaks = 0;
    for (int i = 1; i < n; i++) if (letters[i] == letters[i - 1]) breaks++;
    printf("schedprobe: the letters: %s\n", letters);
    check("letters written", n, 40);
    check("two letters in a row (strict alternation: none)", breaks, 0);
    printf("schedprobe: %d failures\n", failures);
    return failures;
}
