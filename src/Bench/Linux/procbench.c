/*
 * Process operations for `make bench`, the same static binary on both sides: on the Linux peer
 * as /init of an initramfs with busybox (tools/peer.sh initrd), on ExoSharp under the Linux
 * library OS beside busybox-static (tools/linux-bench.sh). Prints "BENCH <operation>
 * median=<n> min=<n> max=<n>" in time-stamp-counter ticks (guest instructions under QEMU
 * -icount shift=0), then powers off with reboot(2):
 *   fork_exit_wait   fork, the child _exit(0)s, waitpid
 *   execve           fork, the child execve()s this binary ("exit": it _exit(0)s at once), waitpid
 *   sh_true_1000     busybox sh running `sh -c true` 1,000 times in a loop (one run, whole)
 * Usage: procbench [RUNS] (RUNS: repetitions of the first two, at most 201, default 21).
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tsc.h"

#define MAXRUNS 201
#define SH_LOOP "i=0; while [ $i -lt 1000 ]; do sh -c true; i=$((i+1)); done"

static uint64_t samples[MAXRUNS];

static void report(const char *name, int n)
{
    qsort(samples, n, sizeof samples[0], compare_u64);
    printf("BENCH %s median=%llu min=%llu max=%llu\n", name, (unsigned long long)samples[n / 2],
           (unsigned long long)samples[0], (unsigned long long)samples[n - 1]);
    fflush(stdout);
}

/* Waits for pid; 0 when it exited with status 0, else prints what it did. */
static int reap(pid_t pid, const char *what)
{
    int status;
    if (waitpid(pid, &status, 0) != pid) { printf("BENCH %s: waitpid failed\n", what); return -1; }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) { printf("BENCH %s: child status 0x%x\n", what, status); return -1; }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "exit") == 0) _exit(0);
    int runs = 21;
    if (argc > 1 && argv[1][0] >= '0' && argv[1][0] <= '9') {
        int n = atoi(argv[1]);
        if (n >= 1 && n <= MAXRUNS) runs = n;
    }
    mkdir("/proc", 0555);
    mount("proc", "/proc", "proc", 0, NULL);        /* /proc/self/exe for execve and busybox's applets */

    for (int i = 0; i < runs; i++) {
        uint64_t t = tsc();
        pid_t pid = fork();
        if (pid == 0) _exit(0);
        if (pid < 0 || reap(pid, "fork_exit_wait") < 0) return 1;
        samples[i] = tsc() - t;
    }
    report("fork_exit_wait", runs);

    for (int i = 0; i < runs; i++) {
        uint64_t t = tsc();
        pid_t pid = fork();
        if (pid == 0) {
            execl("/proc/self/exe", "procbench", "exit", (char *)NULL);
            _exit(127);
        }
        if (pid < 0 || reap(pid, "execve") < 0) return 1;
        samples[i] = tsc() - t;
    }
    report("execve", runs);

    uint64_t t = tsc();
    pid_t pid = fork();
    if (pid == 0) {
        execl("/bin/busybox", "sh", "-c", SH_LOOP, (char *)NULL);
        _exit(127);
    }
    if (pid < 0 || reap(pid, "sh_true_1000") < 0) return 1;
    samples[0] = tsc() - t;
    report("sh_true_1000", 1);

    printf("BENCH done\n");
    fflush(stdout);
    sync();
    reboot(RB_POWER_OFF);
    return 0;
}
