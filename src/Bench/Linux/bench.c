/*
 * The peer's side of `make bench`: the same operations as ExoSharp's bench program
 * (src/Apps/Bench), measured on a stock Debian Linux kernel in the same QEMU. Runs as /init
 * in an initramfs (static, no libc start-up beyond gcc -static), prints one line per
 * operation "BENCH <operation> median=<n> min=<n> max=<n>" in time-stamp-counter ticks
 * (guest instructions under QEMU -icount shift=0), then powers the machine off.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#define RUNS 201
#define PAGE 4096
#define PAGES 100

static uint64_t overhead;
static uint64_t samples[RUNS];

static inline uint64_t tsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
    return ((uint64_t)hi << 32) | lo;
}

static int compare(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static uint64_t adjust(uint64_t v) { return v > overhead ? v - overhead : 0; }

static void report(const char *name, uint64_t divisor)
{
    qsort(samples, RUNS, sizeof samples[0], compare);
    printf("BENCH %s median=%llu min=%llu max=%llu\n", name,
           (unsigned long long)(adjust(samples[RUNS / 2]) / divisor),
           (unsigned long long)(adjust(samples[0]) / divisor),
           (unsigned long long)(adjust(samples[RUNS - 1]) / divisor));
    fflush(stdout);
}

static char *region;               /* PAGES pages for the protection benchmarks */
static char *other;                /* the page appel1 protects in the handler */

static void skip_ud2(int sig, siginfo_t *info, void *context)
{
    ((ucontext_t *)context)->uc_mcontext.gregs[REG_RIP] += 2;
}

static void unprotect_fault(int sig, siginfo_t *info, void *context)
{
    char *page = (char *)((uintptr_t)info->si_addr & ~(uintptr_t)(PAGE - 1));
    mprotect(page, PAGE, PROT_READ | PROT_WRITE);
}

static void appel1_fault(int sig, siginfo_t *info, void *context)
{
    char *page = (char *)((uintptr_t)info->si_addr & ~(uintptr_t)(PAGE - 1));
    mprotect(page, PAGE, PROT_READ | PROT_WRITE);
    mprotect(other, PAGE, PROT_READ);
}

static void handle(int sig, void (*handler)(int, siginfo_t *, void *))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(sig, &sa, NULL);
}

int main(void)
{
    for (int i = 0; i < RUNS; i++) { uint64_t t = tsc(); samples[i] = tsc() - t; }
    qsort(samples, RUNS, sizeof samples[0], compare);
    overhead = samples[RUNS / 2];

    for (int i = 0; i < RUNS; i++) {
        uint64_t t = tsc();
        long r;
        __asm__ volatile("syscall" : "=a"(r) : "a"(SYS_getppid) : "rcx", "r11", "memory");
        samples[i] = tsc() - t;
    }
    report("null_syscall", 1);

    handle(SIGILL, skip_ud2);
    for (int i = 0; i < RUNS; i++) {
        uint64_t t = tsc();
        __asm__ volatile("ud2" ::: "memory");
        samples[i] = tsc() - t;
    }
    report("upcall_roundtrip", 1);

    region = mmap(NULL, PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    other = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    handle(SIGSEGV, unprotect_fault);
    for (int i = 0; i < RUNS; i++) {
        mprotect(region, PAGE, PROT_READ);
        uint64_t t = tsc();
        *(volatile char *)region = 1;
        samples[i] = tsc() - t;
    }
    report("trap", 1);
    for (int i = 0; i < RUNS; i++) {
        uint64_t t = tsc();
        mprotect(region, PAGE, PROT_READ);
        samples[i] = tsc() - t;
        mprotect(region, PAGE, PROT_READ | PROT_WRITE);
    }
    report("prot1", 1);
    for (int i = 0; i < RUNS; i++) {
        uint64_t t = tsc();
        mprotect(region, PAGES * PAGE, PROT_READ);
        samples[i] = tsc() - t;
        mprotect(region, PAGES * PAGE, PROT_READ | PROT_WRITE);
    }
    report("prot100", 1);
    for (int i = 0; i < RUNS; i++) {
        mprotect(region, PAGES * PAGE, PROT_READ);
        uint64_t t = tsc();
        mprotect(region, PAGES * PAGE, PROT_READ | PROT_WRITE);
        samples[i] = tsc() - t;
    }
    report("unprot100", 1);
    handle(SIGSEGV, appel1_fault);
    for (int i = 0; i < RUNS; i++) {
        mprotect(region, PAGE, PROT_READ);
        uint64_t t = tsc();
        *(volatile char *)region = 1;          /* fault: unprotect it, protect another */
        samples[i] = tsc() - t;
        mprotect(other, PAGE, PROT_READ | PROT_WRITE);
    }
    report("appel1", 1);
    handle(SIGSEGV, unprotect_fault);
    for (int i = 0; i < RUNS; i++) {
        uint64_t t = tsc();
        mprotect(region, PAGES * PAGE, PROT_READ);
        for (int p = 0; p < PAGES; p++) region[p * PAGE] = 1;
        samples[i] = tsc() - t;
    }
    report("appel2", PAGES);

    for (int i = 0; i < RUNS; i++) {
        char *fresh = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        uint64_t t = tsc();
        *(volatile char *)fresh = 1;
        samples[i] = tsc() - t;
        munmap(fresh, PAGE);
    }
    report("first_touch_fault", 1);

    int ping[2], pong[2];
    pipe(ping);
    pipe(pong);
    pid_t child = fork();
    if (child == 0) {
        char c;
        while (read(ping[0], &c, 1) == 1) write(pong[1], &c, 1);
        _exit(0);
    }
    char c = 0;
    write(ping[1], &c, 1);
    read(pong[0], &c, 1);
    for (int i = 0; i < RUNS; i++) {
        uint64_t t = tsc();
        write(ping[1], &c, 1);
        read(pong[0], &c, 1);
        samples[i] = tsc() - t;
    }
    report("ipc_roundtrip", 1);
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);

    /* SCHED_FIFO at one priority: sched_yield then alternates strictly between the two. */
    struct sched_param fifo = { .sched_priority = 1 };
    sched_setscheduler(0, SCHED_FIFO, &fifo);
    child = fork();
    if (child == 0) {
        for (;;) sched_yield();
    }
    sched_yield();
    for (int i = 0; i < RUNS; i++) {
        uint64_t t = tsc();
        sched_yield();                          /* to the child and back: two switches */
        samples[i] = tsc() - t;
    }
    report("env_switch", 2);
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);

    printf("BENCH done\n");
    fflush(stdout);
    sync();
    reboot(RB_POWER_OFF);
    return 0;
}
