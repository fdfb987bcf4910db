/*
 * The peer's side of `make bench`: the same operations as ExoSharp's bench program
 * (src/Apps/Bench), measured on a stock Debian Linux kernel in the same QEMU. Runs as /init
 * in an initramfs (static, no libc start-up beyond gcc -static), prints one line per
 * operation "BENCH <operation> median=<n> min=<n> max=<n>" in time-stamp-counter ticks
 * (guest instructions under QEMU -icount shift=0), then powers the machine off. Packet
 * filters: eBPF programs equivalent to N 'udp dst port P' filters, JIT-compiled, timed with
 * BPF_PROG_TEST_RUN (filter_benchmarks below); a kernel without bpf (ENOSYS) skips them.
 * The same binary runs on ExoSharp under the Linux library OS (`linux /bin/bench [RUNS]`):
 * an optional first argument, all digits, runs each operation that many times (at most 201).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>
#include "tsc.h"

#define RUNS 201
#define PAGE 4096
#define PAGES 100

static int runs = RUNS;            /* each operation's repetitions: RUNS, or fewer from argv[1] */
static uint64_t overhead;
static uint64_t samples[RUNS];

static uint64_t adjust(uint64_t v) { return v > overhead ? v - overhead : 0; }

static void report(const char *name, uint64_t divisor)
{
    qsort(samples, runs, sizeof samples[0], compare_u64);
    printf("BENCH %s median=%llu min=%llu max=%llu\n", name,
           (unsigned long long)(adjust(samples[runs / 2]) / divisor),
           (unsigned long long)(adjust(samples[0]) / divisor),
           (unsigned long long)(adjust(samples[runs - 1]) / divisor));
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

/*
 * Packet filters: Linux's eBPF JIT on the packets ExoSharp's bench
 * classifies (src/Apps/Bench/FilterBenchmarks.cs). One program stands for N installed
 * filters 'udp dst port P', P = 1000..1000+N-1: it checks the ethertype (IPv4), the protocol
 * (UDP) and the fragment offset like libpcap's code, finds the UDP header past the IPv4
 * header's length, then compares the destination port with each P in turn and returns i+1
 * for the i-th (0: none; IPv6 is not tested, unlike libpcap's 'udp dst port'). It is a
 * BPF_PROG_TYPE_SCHED_CLS program (its packet starts at the Ethernet header and it may read
 * it directly between data and data_end, the fastest form; a socket filter sees the packet
 * from the network header and reads it through helper calls). BPF_PROG_TEST_RUN runs it
 * REPEAT times on one packet: filter_jit_<n> is rdtsc around that call divided by REPEAT,
 * filter_jit_<n>_call one whole call with repeat 1 (skb set-up included), and
 * filter_jit_<n>_testrun_ns the kernel's own average per run (ns of QEMU's virtual clock).
 */
#define REPEAT 100
#define FRAME 60
#define INSN(c, d, s_, o, i) ((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s_), .off = (o), .imm = (i) })

static long bpf(int cmd, union bpf_attr *attr) { return syscall(SYS_bpf, cmd, attr, sizeof *attr); }

static int load_filters(int n)
{
    static struct bpf_insn code[32 + 3 * 128];
    static char log[65536];
    int c = 0;
    int out_jumps[8], jumps = 0;
    code[c++] = INSN(BPF_LDX | BPF_MEM | BPF_W, 2, 1, offsetof(struct __sk_buff, data), 0);
    code[c++] = INSN(BPF_LDX | BPF_MEM | BPF_W, 3, 1, offsetof(struct __sk_buff, data_end), 0);
    code[c++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
    code[c++] = INSN(BPF_ALU64 | BPF_MOV | BPF_X, 4, 2, 0, 0);
    code[c++] = INSN(BPF_ALU64 | BPF_ADD | BPF_K, 4, 0, 0, 34);            /* Ethernet + 20-byte IPv4 */
    out_jumps[jumps++] = c; code[c++] = INSN(BPF_JMP | BPF_JGT | BPF_X, 4, 3, 0, 0);
    code[c++] = INSN(BPF_LDX | BPF_MEM | BPF_H, 5, 2, 12, 0);               /* ethertype */
    out_jumps[jumps++] = c; code[c++] = INSN(BPF_JMP | BPF_JNE | BPF_K, 5, 0, 0, 0x0008);
    code[c++] = INSN(BPF_LDX | BPF_MEM | BPF_B, 5, 2, 23, 0);               /* protocol */
    out_jumps[jumps++] = c; code[c++] = INSN(BPF_JMP | BPF_JNE | BPF_K, 5, 0, 0, 17);
    code[c++] = INSN(BPF_LDX | BPF_MEM | BPF_H, 5, 2, 20, 0);               /* fragment offset */
    code[c++] = INSN(BPF_ALU64 | BPF_AND | BPF_K, 5, 0, 0, 0xff1f);
    out_jumps[jumps++] = c; code[c++] = INSN(BPF_JMP | BPF_JNE | BPF_K, 5, 0, 0, 0);
    code[c++] = INSN(BPF_LDX | BPF_MEM | BPF_B, 5, 2, 14, 0);               /* 4 * IHL */
    code[c++] = INSN(BPF_ALU64 | BPF_AND | BPF_K, 5, 0, 0, 0xf);
    code[c++] = INSN(BPF_ALU64 | BPF_LSH | BPF_K, 5, 0, 0, 2);
    code[c++] = INSN(BPF_ALU64 | BPF_ADD | BPF_X, 2, 5, 0, 0);
    code[c++] = INSN(BPF_ALU64 | BPF_MOV | BPF_X, 4, 2, 0, 0);
    code[c++] = INSN(BPF_ALU64 | BPF_ADD | BPF_K, 4, 0, 0, 18);
    out_jumps[jumps++] = c; code[c++] = INSN(BPF_JMP | BPF_JGT | BPF_X, 4, 3, 0, 0);
    code[c++] = INSN(BPF_LDX | BPF_MEM | BPF_H, 5, 2, 16, 0);               /* UDP destination port */
    code[c++] = INSN(BPF_ALU | BPF_END | BPF_TO_BE, 5, 0, 0, 16);
    for (int i = 0; i < n; i++) {
        code[c++] = INSN(BPF_JMP | BPF_JNE | BPF_K, 5, 0, 2, 1000 + i);
        code[c++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, i + 1);
        code[c++] = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
    }
    for (int j = 0; j < jumps; j++) code[out_jumps[j]].off = c - out_jumps[j] - 1;
    code[c++] = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);

    union bpf_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.prog_type = BPF_PROG_TYPE_SCHED_CLS;
    attr.insns = (uint64_t)(uintptr_t)code;
    attr.insn_cnt = c;
    attr.license = (uint64_t)(uintptr_t)"GPL";
    attr.log_buf = (uint64_t)(uintptr_t)log;
    attr.log_size = sizeof log;
    attr.log_level = 1;
    int fd = bpf(BPF_PROG_LOAD, &attr);
    if (fd < 0 && errno == ENOSYS) return fd;
    if (fd < 0) printf("BENCH filter_jit: BPF_PROG_LOAD of %d filters failed (errno %d): %.2000s\n", n, errno, log);
    return fd;
}

static void frame(unsigned char *f, unsigned port)
{
    memset(f, 0, FRAME);
    memset(f, 0x02, 6);
    memset(f + 6, 0x04, 6);
    f[12] = 0x08; f[14] = 0x45; f[17] = 46; f[22] = 64; f[23] = 17;
    f[26] = 10; f[29] = 1; f[30] = 10; f[33] = 2;
    f[34] = 0x13; f[35] = 0x88; f[36] = port >> 8; f[37] = port & 0xff; f[39] = 26;
}

static int test_run(int fd, unsigned char *packet, unsigned repeat, uint32_t *retval, uint32_t *duration)
{
    union bpf_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.test.prog_fd = fd;
    attr.test.data_in = (uint64_t)(uintptr_t)packet;
    attr.test.data_size_in = FRAME;
    attr.test.repeat = repeat;
    int r = bpf(BPF_PROG_TEST_RUN, &attr);
    *retval = attr.test.retval;
    *duration = attr.test.duration;
    return r;
}

static void filter_benchmarks(void)
{
    mkdir("/proc", 0555);
    mount("proc", "/proc", "proc", 0, NULL);
    int jit = open("/proc/sys/net/core/bpf_jit_enable", O_RDWR);
    char enabled[4] = "?";
    if (jit >= 0) {
        write(jit, "1", 1);
        lseek(jit, 0, SEEK_SET);
        read(jit, enabled, 1);
        close(jit);
    }
    printf("BENCH filter_jit_enable value=%c\n", enabled[0]);
    static const int counts[] = { 1, 10, 100 };
    static uint64_t durations[RUNS];
    unsigned char hit[FRAME], miss[FRAME];
    frame(miss, 9);
    for (int k = 0; k < 3; k++) {
        int n = counts[k];
        int fd = load_filters(n);
        if (fd < 0 && errno == ENOSYS) {
            printf("BENCH filter_jit: no bpf system call (ENOSYS): skipped\n");
            return;
        }
        if (fd < 0) continue;
        struct bpf_prog_info info;
        union bpf_attr attr;
        memset(&info, 0, sizeof info);
        memset(&attr, 0, sizeof attr);
        attr.info.bpf_fd = fd;
        attr.info.info_len = sizeof info;
        attr.info.info = (uint64_t)(uintptr_t)&info;
        bpf(BPF_OBJ_GET_INFO_BY_FD, &attr);
        printf("BENCH filter_jit_info filters=%d xlated_bytes=%u jited_bytes=%u\n", n, info.xlated_prog_len, info.jited_prog_len);
        frame(hit, 1000 + n - 1);
        for (int m = 0; m < 2; m++) {
            unsigned char *packet = m == 0 ? hit : miss;
            char name[64];
            uint32_t retval, duration;
            if (test_run(fd, packet, 1, &retval, &duration) < 0) {
                printf("BENCH filter_jit: BPF_PROG_TEST_RUN is unavailable (errno %d)\n", errno);
                close(fd);
                return;
            }
            if (retval != (m == 0 ? (uint32_t)n : 0)) printf("BENCH filter_jit: %d filters returned %u\n", n, retval);
            for (int i = 0; i < runs; i++) {
                uint64_t t = tsc();
                test_run(fd, packet, REPEAT, &retval, &duration);
                samples[i] = tsc() - t;
                durations[i] = duration;
            }
            snprintf(name, sizeof name, "filter_jit_%d%s", n, m == 0 ? "" : "_miss");
            report(name, REPEAT);
            memcpy(samples, durations, sizeof samples);
            uint64_t saved = overhead;
            overhead = 0;
            snprintf(name, sizeof name, "filter_jit_%d%s_testrun_ns", n, m == 0 ? "" : "_miss");
            report(name, 1);
            overhead = saved;
            for (int i = 0; i < runs; i++) {
                uint64_t t = tsc();
                test_run(fd, packet, 1, &retval, &duration);
                samples[i] = tsc() - t;
            }
            snprintf(name, sizeof name, "filter_jit_%d%s_call", n, m == 0 ? "" : "_miss");
            report(name, 1);
        }
        close(fd);
    }
}

int main(int argc, char **argv)
{
    if (argc > 1 && argv[1][0] >= '0' && argv[1][0] <= '9' && strspn(argv[1], "0123456789") == strlen(argv[1])) {
        int n = atoi(argv[1]);
        if (n >= 1 && n <= RUNS) runs = n;
    }
    for (int i = 0; i < runs; i++) { uint64_t t = tsc(); samples[i] = tsc() - t; }
    qsort(samples, runs, sizeof samples[0], compare_u64);
    overhead = samples[runs / 2];

    for (int i = 0; i < runs; i++) {
        uint64_t t = tsc();
        long r;
        __asm__ volatile("syscall" : "=a"(r) : "a"(SYS_getppid) : "rcx", "r11", "memory");
        samples[i] = tsc() - t;
    }
    report("null_syscall", 1);
    report("null_syscall_general", 1);     /* the same getppid: Linux has one entry path */

    handle(SIGILL, skip_ud2);
    for (int i = 0; i < runs; i++) {
        uint64_t t = tsc();
        __asm__ volatile("ud2" ::: "memory");
        samples[i] = tsc() - t;
    }
    report("upcall_roundtrip", 1);

    region = mmap(NULL, PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    other = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    handle(SIGSEGV, unprotect_fault);
    for (int i = 0; i < runs; i++) {
        mprotect(region, PAGE, PROT_READ);
        uint64_t t = tsc();
        *(volatile char *)region = 1;
        samples[i] = tsc() - t;
    }
    report("trap", 1);
    for (int i = 0; i < runs; i++) {
        uint64_t t = tsc();
        mprotect(region, PAGE, PROT_READ);
        samples[i] = tsc() - t;
        mprotect(region, PAGE, PROT_READ | PROT_WRITE);
    }
    report("prot1", 1);
    for (int i = 0; i < runs; i++) {
        mprotect(region, PAGE, PROT_READ);
        uint64_t t = tsc();
        mprotect(region, PAGE, PROT_READ | PROT_WRITE);
        samples[i] = tsc() - t;
    }
    report("unprot1", 1);
    for (int i = 0; i < runs; i++) {
        uint64_t t = tsc();
        mprotect(region, PAGES * PAGE, PROT_READ);
        samples[i] = tsc() - t;
        mprotect(region, PAGES * PAGE, PROT_READ | PROT_WRITE);
    }
    report("prot100", 1);
    for (int i = 0; i < runs; i++) {
        mprotect(region, PAGES * PAGE, PROT_READ);
        uint64_t t = tsc();
        mprotect(region, PAGES * PAGE, PROT_READ | PROT_WRITE);
        samples[i] = tsc() - t;
    }
    report("unprot100", 1);
    handle(SIGSEGV, appel1_fault);
    for (int i = 0; i < runs; i++) {
        mprotect(region, PAGE, PROT_READ);
        uint64_t t = tsc();
        *(volatile char *)region = 1;          /* fault: unprotect it, protect another */
        samples[i] = tsc() - t;
        mprotect(other, PAGE, PROT_READ | PROT_WRITE);
    }
    report("appel1", 1);
    handle(SIGSEGV, unprotect_fault);
    for (int i = 0; i < runs; i++) {
        uint64_t t = tsc();
        mprotect(region, PAGES * PAGE, PROT_READ);
        for (int p = 0; p < PAGES; p++) region[p * PAGE] = 1;
        samples[i] = tsc() - t;
    }
    report("appel2", PAGES);

    for (int i = 0; i < runs; i++) {
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
    for (int i = 0; i < runs; i++) {
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
    for (int i = 0; i < runs; i++) {
        uint64_t t = tsc();
        sched_yield();                          /* to the child and back: two switches */
        samples[i] = tsc() - t;
    }
    report("env_switch", 2);
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);

    filter_benchmarks();

    printf("BENCH done\n");
    fflush(stdout);
    sync();
    reboot(RB_POWER_OFF);
    return 0;
}
