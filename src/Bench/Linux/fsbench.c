/*
 * The peer's side of the file-system benchmarks (tools/fsbench.sh): the same operations as
 * ExoSharp's fsbench program (src/Apps/Bench/FsBenchmarks.cs) on ext4, made on the host by
 * mkfs.ext4 and mounted here on the virtio-blk disk /dev/vda. Runs as /init of an initramfs
 * made by tools/peer.sh (busybox, the virtio modules, /modules/load, run first).
 * Arguments (the kernel command line after "--"): phases "small N" (N files of 1 KB in 10
 * directories: create, read cold, read warm, delete), "fsync N" (the same created and deleted with
 * an fsync after each file or unlink) and "seq M" (one file of M MiB in 64 KiB writes: write, read cold, read
 * warm, delete; written again with an fsync every MiB). Each phase ends in sync(); a cold read
 * follows sync and drop_caches (3). Prints "BENCH <name> busy=<n> idle=<n> total=<n>" in
 * time-stamp-counter ticks: total = rdtsc across the phase, idle = the kernel's own idle and
 * iowait time (tick_sched's idle_sleeptime + iowait_sleeptime from /proc/timer_list, in ns; the
 * counters /proc/stat reports in USER_HZ) turned into ticks by the phase's ticks per ns
 * (CLOCK_MONOTONIC), busy = total - idle. Then powers off.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tsc.h"

#define DIRECTORIES 10
#define SMALL 1024
#define CHUNK (64 * 1024)

static int failures;
static uint64_t start_tsc, start_idle, start_ns;

static uint64_t monotonic_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static char timer_list[1 << 20];

/* CPU 0's idle_sleeptime + iowait_sleeptime (ns) from /proc/timer_list; with no such lines,
 * /proc/stat's idle + iowait (USER_HZ = 100) in ns. */
static uint64_t idle_ns(void)
{
    uint64_t total = 0;
    int found = 0;
    int fd = open("/proc/timer_list", O_RDONLY);
    if (fd >= 0) {
        size_t n = 0;
        ssize_t r;
        while (n < sizeof timer_list - 1 && (r = read(fd, timer_list + n, sizeof timer_list - 1 - n)) > 0) n += (size_t)r;
        close(fd);
        timer_list[n] = 0;
        const char *names[] = { ".idle_sleeptime", ".iowait_sleeptime" };
        for (int i = 0; i < 2; i++) {
            char *p = strstr(timer_list, names[i]);
            if (!p) continue;
            p = strchr(p, ':');
            if (!p) continue;
            total += strtoull(p + 1, NULL, 10);
            found++;
        }
    }
    if (found == 2) return total;
    FILE *f = fopen("/proc/stat", "r");
    unsigned long long user, nice, sys, idle, iowait;
    total = 0;
    if (f && fscanf(f, "cpu %llu %llu %llu %llu %llu", &user, &nice, &sys, &idle, &iowait) == 5)
        total = (idle + iowait) * 10000000ull;
    if (f) fclose(f);
    return total;
}

static void fail(const char *what, const char *path)
{
    printf("fsbench: WRONG: %s %s: %s\n", what, path, strerror(errno));
    failures++;
}

static void start(void)
{
    start_idle = idle_ns();
    start_ns = monotonic_ns();
    start_tsc = tsc();
}

static void stop(const char *name)
{
    uint64_t total = tsc() - start_tsc;
    uint64_t ns = monotonic_ns() - start_ns;
    uint64_t idle = idle_ns() - start_idle;
    uint64_t idle_ticks = ns ? (uint64_t)((double)idle * (double)total / (double)ns) : 0;
    if (idle_ticks > total) idle_ticks = total;
    printf("BENCH %s busy=%llu idle=%llu total=%llu\n", name, (unsigned long long)(total - idle_ticks),
           (unsigned long long)idle_ticks, (unsigned long long)total);
    fflush(stdout);
}

static void drop_caches(void)
{
    sync();
    int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
    if (fd < 0 || write(fd, "3\n", 2) != 2) fail("drop", "/proc/sys/vm/drop_caches");
    if (fd >= 0) close(fd);
}

static unsigned char pattern(int file, int at) { return (unsigned char)(file * 13 + at * 7 + (at >> 8)); }

static void create_files(char **paths, int count, const unsigned char *buffer, int fsync_each)
{
    start();
    for (int k = 0; k < count; k++) {
        int fd = open(paths[k], O_WRONLY | O_CREAT | O_EXCL, 0644);
        if (fd < 0) { fail("create", paths[k]); break; }
        if (write(fd, buffer + (size_t)k * SMALL, SMALL) != SMALL) fail("write", paths[k]);
        if (fsync_each && fsync(fd) != 0) fail("fsync", paths[k]);
        close(fd);
    }
    sync();
}

static void read_files(char **paths, int count, const unsigned char *expected, int cold, const char *name)
{
    unsigned char *into = malloc((size_t)SMALL * count);
    if (cold) drop_caches();
    start();
    for (int k = 0; k < count; k++) {
        int fd = open(paths[k], O_RDONLY);
        if (fd < 0) { fail("open", paths[k]); break; }
        if (read(fd, into + (size_t)k * SMALL, SMALL) != SMALL) fail("read", paths[k]);
        close(fd);
    }
    sync();
    stop(name);
    if (memcmp(into, expected, (size_t)SMALL * count) != 0) { errno = EIO; fail("bytes of", "the small files"); }
    free(into);
}

static void delete_files(char **paths, int count, char **dirs, int fsync_each)
{
    int dirfd[DIRECTORIES];
    for (int d = 0; d < DIRECTORIES; d++) dirfd[d] = fsync_each ? open(dirs[d], O_RDONLY | O_DIRECTORY) : -1;
    start();
    for (int k = 0; k < count; k++) {
        if (unlink(paths[k]) != 0) { fail("unlink", paths[k]); break; }
        if (fsync_each && fsync(dirfd[k % DIRECTORIES]) != 0) fail("fsync", dirs[k % DIRECTORIES]);
    }
    sync();
    for (int d = 0; d < DIRECTORIES; d++) if (dirfd[d] >= 0) close(dirfd[d]);
}

static void small(int count, int fsync_each)
{
    char top[64], name[64];
    char *dirs[DIRECTORIES];
    char **paths = malloc(sizeof(char *) * count);
    unsigned char *buffer = malloc((size_t)SMALL * count);
    snprintf(top, sizeof top, fsync_each ? "/mnt/fsync%d" : "/mnt/small%d", count);
    if (mkdir(top, 0755) != 0) fail("mkdir", top);
    for (int d = 0; d < DIRECTORIES; d++) {
        dirs[d] = malloc(80);
        snprintf(dirs[d], 80, "%s/d%d", top, d);
        if (mkdir(dirs[d], 0755) != 0) fail("mkdir", dirs[d]);
    }
    for (int k = 0; k < count; k++) {
        paths[k] = malloc(96);
        snprintf(paths[k], 96, "%s/f%d", dirs[k % DIRECTORIES], k);
        for (int i = 0; i < SMALL; i++) buffer[(size_t)k * SMALL + i] = pattern(k, i);
    }
    sync();
    if (!fsync_each) {
        create_files(paths, count, buffer, 0);
        snprintf(name, sizeof name, "fs_small_create_%d", count); stop(name);
        snprintf(name, sizeof name, "fs_small_read_%d", count); read_files(paths, count, buffer, 1, name);
        snprintf(name, sizeof name, "fs_small_read_%d_warm", count); read_files(paths, count, buffer, 0, name);
        delete_files(paths, count, dirs, 0);
        snprintf(name, sizeof name, "fs_small_delete_%d", count); stop(name);
    } else {
        create_files(paths, count, buffer, 1);
        snprintf(name, sizeof name, "fs_small_create_%d_fsync", count); stop(name);
        delete_files(paths, count, dirs, 1);
        snprintf(name, sizeof name, "fs_small_delete_%d_fsync", count); stop(name);
    }
    for (int d = 0; d < DIRECTORIES; d++) { if (rmdir(dirs[d]) != 0) fail("rmdir", dirs[d]); free(dirs[d]); }
    if (rmdir(top) != 0) fail("rmdir", top);
    sync();
    for (int k = 0; k < count; k++) free(paths[k]);
    free(paths);
    free(buffer);
}

static void read_seq(const char *path, unsigned char *chunk, long chunks, int cold, const char *name)
{
    long wrong = -1;
    if (cold) drop_caches();
    start();
    int fd = open(path, O_RDONLY);
    if (fd < 0) { fail("open", path); return; }
    for (long c = 0; c < chunks; c++) {
        if (read(fd, chunk, CHUNK) != CHUNK) { fail("read", path); break; }
        for (int i = 0; i < CHUNK && wrong < 0; i += 4096)
            if (*(int64_t *)(chunk + i) != c * 16 + i / 4096) wrong = c;
    }
    close(fd);
    sync();
    stop(name);
    if (wrong >= 0) { errno = EIO; fail("bytes of", path); }
}

static void sequential(int mib)
{
    const char *path = "/mnt/seq";
    char name[64];
    unsigned char *chunk = aligned_alloc(4096, CHUNK);
    long chunks = (long)mib * 1024 * 1024 / CHUNK;
    for (int round = 0; round < 2; round++) {
        int fsync_every = round == 1;
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
        if (fd < 0) { fail("create", path); break; }
        start();
        for (long c = 0; c < chunks; c++) {
            for (int i = 0; i < CHUNK; i += 4096) *(int64_t *)(chunk + i) = c * 16 + i / 4096;
            if (write(fd, chunk, CHUNK) != CHUNK) { fail("write", path); break; }
            if (fsync_every && (c + 1) % (1024 * 1024 / CHUNK) == 0 && fsync(fd) != 0) fail("fsync", path);
        }
        sync();
        snprintf(name, sizeof name, "fs_seq_write_%dm%s", mib, fsync_every ? "_fsync" : ""); stop(name);
        close(fd);
        if (!fsync_every) {
            snprintf(name, sizeof name, "fs_seq_read_%dm", mib); read_seq(path, chunk, chunks, 1, name);
            snprintf(name, sizeof name, "fs_seq_read_%dm_warm", mib); read_seq(path, chunk, chunks, 0, name);
        }
        start();
        if (unlink(path) != 0) fail("unlink", path);
        sync();
        snprintf(name, sizeof name, "fs_seq_delete_%dm%s", mib, fsync_every ? "_fsync" : ""); stop(name);
    }
    free(chunk);
}

static void load_modules(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        execl("/bin/busybox", "sh", "/modules/load", (char *)NULL);
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) { errno = EIO; fail("load", "/modules/load"); }
}

int main(int argc, char **argv)
{
    mkdir("/proc", 0755); mkdir("/sys", 0755); mkdir("/dev", 0755); mkdir("/mnt", 0755);
    mount("proc", "/proc", "proc", 0, NULL);
    mount("sysfs", "/sys", "sysfs", 0, NULL);
    mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
    load_modules();
    struct stat st;
    for (int i = 0; i < 500 && stat("/dev/vda", &st) != 0; i++) usleep(10000);
    if (mount("/dev/vda", "/mnt", "ext4", 0, NULL) != 0) fail("mount", "/dev/vda");
    else {
        printf("fsbench: ext4 on /dev/vda mounted\n");
        for (int i = 1; i + 1 < argc; i += 2) {
            int n = atoi(argv[i + 1]);
            if (strcmp(argv[i], "small") == 0 && n > 0) small(n, 0);
            else if (strcmp(argv[i], "fsync") == 0 && n > 0) small(n, 1);
            else if (strcmp(argv[i], "seq") == 0 && n > 0) sequential(n);
            else { errno = EINVAL; fail("phase", argv[i]); }
        }
        umount("/mnt");
    }
    printf(failures == 0 ? "fsbench: all checks passed\n" : "fsbench: WRONG: %d checks failed\n", failures);
    printf("BENCH done\n");
    fflush(stdout);
    sync();
    reboot(RB_POWER_OFF);
    return 0;
}
