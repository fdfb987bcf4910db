/* Processes and signals under the Linux library OS (docs/linux.md), checked from inside a
 * static glibc program: fork and wait statuses, kill, SIGCHLD, a SIGSEGV handler that recovers,
 * registers and the SSE state kept across a handler (rt_sigreturn), masks, alarm, execve's
 * errors, and bad pointers to every call. Prints "proctest: CHECK: got VALUE" per check and
 * "proctest: FAIL ..." on a wrong value; the exit status is the number of failures.
 * Built with gcc -static by tools/linux-programs.sh (never committed as a binary).
 * Usage: proctest basic | proctest forkbomb | proctest fromdisk (the others are its own execs;
 * fromdisk also checks that the code is read-only and that an execve of the running image's file
 * keeps its read-only pages only while the file is unchanged: rewrite, printmark) */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

static int failures;
#define BAD ((void *)0x10)
#define KERNEL ((void *)0xffff800000001000UL)

static void check(const char *what, long got, long want)
{
    printf("proctest: %s: got %ld%s\n", what, got, got == want ? "" : " (FAIL)");
    if (got != want) { printf("proctest: FAIL %s: want %ld\n", what, want); failures++; }
    fflush(stdout);
}

/* The raw call, so glibc's wrappers neither check nor cache. */
static long raw(long n, long a, long b, long c, long d, long e)
{
    long r = syscall(n, a, b, c, d, e);
    return r < 0 ? -errno : r;
}

static volatile int chld_count, usr1_count, alrm_count;
static void on_chld(int s) { (void)s; chld_count++; }
static void on_alrm(int s) { (void)s; alrm_count++; }
static volatile int spin_flag, nodefer_blocked = -1;
static void on_nodefer(int s)
{
    sigset_t m;
    sigprocmask(SIG_BLOCK, 0, &m);
    nodefer_blocked = sigismember(&m, s);
}
static void on_spin(int s) { (void)s; spin_flag = 1; }

static sigjmp_buf segv_jump;
static volatile uintptr_t segv_address;
static volatile int segv_code;
static void on_segv(int s, siginfo_t *info, void *uc)
{
    (void)s; (void)uc;
    segv_address = (uintptr_t)info->si_addr;
    segv_code = info->si_code;
    siglongjmp(segv_jump, 1);
}

/* A constant in the program's read-only data: the rewrite mode patches it in the file. */
__attribute__((used)) static const char marker[16] = "MARK-original";
static const char *volatile marker_at = marker;     /* read at run time: no folding of the constant */

/* Runs /bin/fromdisk MODE in a child; its exit status. */
static int run_fromdisk(const char *path, const char *mode)
{
    pid_t c = fork();
    if (c == 0) { char *args[] = { "fromdisk", (char *)mode, 0 }; execve(path, args, (char *[]){ 0 }); _exit(errno); }
    int status;
    waitpid(c, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Running as /bin/fromdisk (a file of the volume): an execve of the unchanged file (its read-only
 * pages kept), and the file cannot be opened for writing while it runs (ETXTBSY, as on Linux). */
static void rewrite(void)
{
    check("execve of the running image's unchanged file: the original marker", run_fromdisk("/proc/self/exe", "printmark"), 45);
    check("open of the running image's file for writing: ETXTBSY", raw(SYS_open, (long)"/bin/fromdisk", O_RDWR, 0, 0, 0), -ETXTBSY);
    check("truncate of it: ETXTBSY", raw(SYS_truncate, (long)"/bin/fromdisk", 0, 0, 0, 0), -ETXTBSY);
}

/* /bin/fromdisk's marker patched in place (no process runs it now); 0 when done. */
static int patch_fromdisk(void)
{
    FILE *f = fopen("/bin/fromdisk", "r+b");
    static char file[4 << 20];
    size_t n = f ? fread(file, 1, sizeof file, f) : 0;
    long at = -1;
    for (size_t i = 0; i + 16 <= n && at < 0; i++) if (memcmp(file + i, marker, 16) == 0) at = (long)i;
    if (at >= 0) { fseek(f, at + 5, SEEK_SET); fwrite("patched!", 1, 8, f); }
    if (f) fclose(f);
    return at >= 0 ? 0 : 1;
}

static void on_usr1(int s, siginfo_t *info, void *ucv)
{
    (void)s; (void)info; (void)ucv;
    usr1_count++;
    /* clobber what the interrupted code must get back */
    __asm__ volatile("mov $0x1111, %%r8\n mov $0x2222, %%r9\n mov $0x3333, %%r10\n pxor %%xmm0, %%xmm0\n pxor %%xmm7, %%xmm7"
                     ::: "r8", "r9", "r10", "xmm0", "xmm7");
}

static void forks(void)
{
    pid_t me = getpid();
    check("getpid is positive", me > 0, 1);
    check("gettid is getpid", raw(SYS_gettid, 0, 0, 0, 0, 0), me);

    pid_t child = fork();
    if (child == 0)
    {
        if (getppid() != me) _exit(100);
        if (getpid() == me) _exit(101);
        _exit(7);
    }
    check("fork returns a new pid", child > 0 && child != me, 1);
    int status = 0;
    check("wait4 reaps that child", waitpid(child, &status, 0), child);
    check("child's getppid and getpid, exit 7: WIFEXITED", WIFEXITED(status), 1);
    check("WEXITSTATUS", WEXITSTATUS(status), 7);
    check("a second wait: ECHILD", raw(SYS_wait4, child, 0, 0, 0, 0), -ECHILD);
    check("wait with no children: ECHILD", raw(SYS_wait4, -1, 0, 0, 0, 0), -ECHILD);

    /* the child's memory is its own */
    static volatile int shared_value = 5;
    child = fork();
    if (child == 0) { shared_value = 99; _exit(shared_value == 99 ? 0 : 1); }
    waitpid(child, &status, 0);
    check("copy-on-write: the child's write stays in the child (parent's value)", shared_value, 5);
    check("copy-on-write: the child saw its own write (exit status)", WEXITSTATUS(status), 0);

    /* WNOHANG while the child runs, then kill with SIGTERM */
    child = fork();
    if (child == 0) { for (;;) pause(); }
    check("wait4 WNOHANG on a live child", waitpid(child, &status, WNOHANG), 0);
    check("kill SIGTERM", kill(child, SIGTERM), 0);
    check("wait4 after SIGTERM", waitpid(child, &status, 0), child);
    check("WIFSIGNALED", WIFSIGNALED(status), 1);
    check("WTERMSIG", WTERMSIG(status), SIGTERM);

    /* SIGKILL to a child that never makes a system call */
    child = fork();
    if (child == 0) { for (volatile long i = 0;; i++) ; }
    check("kill SIGKILL (a spinning child)", kill(child, SIGKILL), 0);
    waitpid(child, &status, 0);
    check("WTERMSIG after SIGKILL", WTERMSIG(status), SIGKILL);

    siginfo_t si;
    /* a signal to a process that makes no system calls: taken when its slice begins */
    struct sigaction spin;
    memset(&spin, 0, sizeof spin);
    spin.sa_handler = on_spin;
    sigaction(SIGUSR2, &spin, 0);
    child = fork();
    if (child == 0) { while (!spin_flag) ; _exit(44); }
    sched_yield();
    check("kill SIGUSR2 to a spinning child", kill(child, SIGUSR2), 0);
    waitpid(child, &status, 0);
    check("its handler ran in the loop: it exited 44", WIFEXITED(status) ? WEXITSTATUS(status) : -1, 44);
    signal(SIGUSR2, SIG_DFL);
    child = fork();
    if (child == 0) { signal(SIGALRM, on_spin); alarm(1); while (!spin_flag) ; _exit(45); }
    waitpid(child, &status, 0);
    check("alarm in a loop without system calls: exited 45", WIFEXITED(status) ? WEXITSTATUS(status) : -1, 45);

    /* stop and continue */
    child = fork();
    if (child == 0) { for (;;) pause(); }
    check("kill SIGSTOP", kill(child, SIGSTOP), 0);
    check("wait4 WUNTRACED sees the stop", waitpid(child, &status, WUNTRACED), child);
    check("WIFSTOPPED", WIFSTOPPED(status), 1);
    check("WSTOPSIG", WSTOPSIG(status), SIGSTOP);
    check("the stop is reported once (WNOHANG now 0)", waitpid(child, &status, WUNTRACED | WNOHANG), 0);
    check("kill SIGCONT", kill(child, SIGCONT), 0);
    check("wait4 WCONTINUED sees the continue", waitpid(child, &status, WCONTINUED), child);
    check("WIFCONTINUED", WIFCONTINUED(status), 1);
    kill(child, SIGTSTP);
    memset(&si, 0, sizeof si);
    check("waitid WSTOPPED after SIGTSTP", raw(SYS_waitid, P_PID, child, (long)&si, WSTOPPED, 0), 0);
    check("waitid si_code CLD_STOPPED", si.si_code, CLD_STOPPED);
    check("waitid si_status SIGTSTP", si.si_status, SIGTSTP);
    kill(child, SIGKILL);
    waitpid(child, &status, 0);
    check("a stopped child killed: WTERMSIG", WTERMSIG(status), SIGKILL);

    /* waitid */
    child = fork();
    if (child == 0) _exit(3);
    memset(&si, 0, sizeof si);
    check("waitid P_PID WEXITED", raw(SYS_waitid, P_PID, child, (long)&si, WEXITED, 0), 0);
    check("waitid si_pid", si.si_pid, child);
    check("waitid si_status", si.si_status, 3);
    check("waitid si_code CLD_EXITED", si.si_code, CLD_EXITED);

    /* SIGCHLD handler */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_chld;
    sigaction(SIGCHLD, &sa, 0);
    child = fork();
    if (child == 0) _exit(0);
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) ;
    for (int i = 0; i < 100 && chld_count == 0; i++) sched_yield();
    check("SIGCHLD handler ran when the child ended", chld_count >= 1, 1);
    signal(SIGCHLD, SIG_DFL);

    /* process groups */
    check("getpgrp", getpgrp(), raw(SYS_getpgid, 0, 0, 0, 0, 0));
    child = fork();
    if (child == 0) { for (;;) pause(); }
    check("setpgid(child, child)", setpgid(child, child), 0);
    check("getpgid(child)", getpgid(child), child);
    check("kill(-group, SIGKILL)", kill(-child, SIGKILL), 0);
    waitpid(child, &status, 0);
    check("the group member was killed", WTERMSIG(status), SIGKILL);
    check("kill of a pid that does not exist: ESRCH", raw(SYS_kill, 0x7ffffff0, 0, 0, 0, 0), -ESRCH);
    check("kill with signal 65: EINVAL", raw(SYS_kill, me, 65, 0, 0, 0), -EINVAL);
}

static void signals(void)
{
    /* SIGSEGV recovered by a handler */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    check("sigaction SIGSEGV", sigaction(SIGSEGV, &sa, 0), 0);
    if (sigsetjmp(segv_jump, 1) == 0)
    {
        *(volatile int *)0x1230 = 1;
        check("the faulting store went on (it must not)", 1, 0);
    }
    check("SIGSEGV handler: si_addr", (long)segv_address, 0x1230);
    check("SIGSEGV handler: si_code SEGV_MAPERR", segv_code, SEGV_MAPERR);
    if (sigsetjmp(segv_jump, 1) == 0) *(volatile int *)0x1240 = 2;
    check("a second SIGSEGV (the mask came back): si_addr", (long)segv_address, 0x1240);

    /* registers and SSE state across a handler: kill(self) from assembly */
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_usr1;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, 0);
    long r8, r9, r10, pid = getpid();
    uint64_t x0[2], x7[2];
    __asm__ volatile(
        "mov $0xAAAA, %%r8\n mov $0xBBBB, %%r9\n mov $0xCCCC, %%r10\n"
        "mov $0x0123456789abcdef, %%rax\n movq %%rax, %%xmm0\n movq %%rax, %%xmm7\n"
        "mov $62, %%eax\n mov %[pid], %%rdi\n mov $10, %%esi\n syscall\n"
        "mov %%r8, %[r8]\n mov %%r9, %[r9]\n mov %%r10, %[r10]\n movdqu %%xmm0, %[x0]\n movdqu %%xmm7, %[x7]\n"
        : [r8] "=m"(r8), [r9] "=m"(r9), [r10] "=m"(r10), [x0] "=m"(x0), [x7] "=m"(x7)
        : [pid] "r"(pid)
        : "rax", "rdi", "rsi", "rcx", "r11", "r8", "r9", "r10", "xmm0", "xmm7", "memory");
    check("SIGUSR1 handler ran", usr1_count, 1);
    usr1_count = 1;
    check("r8 kept across the handler", r8, 0xAAAA);
    check("r9 kept", r9, 0xBBBB);
    check("r10 kept", r10, 0xCCCC);
    check("xmm0 kept", (long)x0[0], 0x0123456789abcdefL);
    check("xmm7 kept", (long)x7[0], 0x0123456789abcdefL);

    /* masks: a blocked signal waits, unblocking delivers it */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, &old);
    kill(getpid(), SIGUSR1);
    check("blocked SIGUSR1 not delivered", usr1_count, 1);
    sigset_t pending;
    sigpending(&pending);
    check("sigpending shows it", sigismember(&pending, SIGUSR1), 1);
    sigprocmask(SIG_SETMASK, &old, 0);
    check("unblocked: delivered", usr1_count, 2);

    /* ignored */
    signal(SIGUSR2, SIG_IGN);
    kill(getpid(), SIGUSR2);
    check("SIGUSR2 ignored: still running", 1, 1);

    /* alarm and pause */
    signal(SIGALRM, on_alrm);
    struct timespec a0, a1;
    clock_gettime(CLOCK_MONOTONIC, &a0);
    alarm(1);
    int r = pause();
    clock_gettime(CLOCK_MONOTONIC, &a1);
    check("pause returns -1 EINTR after SIGALRM", r == -1 && errno == EINTR, 1);
    check("SIGALRM handler ran", alrm_count, 1);
    long alarm_ms = (a1.tv_sec - a0.tv_sec) * 1000 + (a1.tv_nsec - a0.tv_nsec) / 1000000;
    printf("proctest: alarm(1) woke pause after %ld ms\n", alarm_ms);
    check("alarm(1) took between 0.9 and 2 seconds", alarm_ms >= 900 && alarm_ms <= 2000, 1);

    /* nanosleep */
    struct timespec ts = { 0, 50 * 1000 * 1000 }, t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    check("nanosleep 50 ms", nanosleep(&ts, 0), 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    check("at least 50 ms passed", ms >= 50, 1);

    /* SA_RESTART: a wait4 interrupted by a handler goes on; without it, EINTR */
    for (int restart = 1; restart >= 0; restart--)
    {
        struct sigaction ra;
        memset(&ra, 0, sizeof ra);
        ra.sa_sigaction = on_usr1;
        ra.sa_flags = SA_SIGINFO | (restart ? SA_RESTART : 0);
        sigaction(SIGUSR1, &ra, 0);
        int before_usr1 = usr1_count, st;
        pid_t c = fork();
        if (c == 0)
        {   /* the parent is blocked in wait4 by then */
            struct timespec z = { 0, 50000000 };
            nanosleep(&z, 0);
            kill(getppid(), SIGUSR1);
            nanosleep(&z, 0);
            _exit(9);
        }
        pid_t w = waitpid(c, &st, 0);
        if (restart)
        {
            check("SA_RESTART: wait4 went on after the handler and reaped the child", w, c);
            check("SA_RESTART: the handler ran", usr1_count - before_usr1, 1);
        }
        else
        {
            check("no SA_RESTART: wait4 answered -1 EINTR", w == -1 && errno == EINTR, 1);
            check("then it reaps the child (exit 9)", waitpid(c, &st, 0) == c && WEXITSTATUS(st) == 9, 1);
        }
    }

    /* SA_RESETHAND: once, then the default; SA_NODEFER: not blocked in the handler */
    struct sigaction rh, now;
    memset(&rh, 0, sizeof rh);
    rh.sa_handler = on_nodefer;
    rh.sa_flags = SA_RESETHAND | SA_NODEFER;
    sigaction(SIGUSR2, &rh, 0);
    kill(getpid(), SIGUSR2);
    check("SA_NODEFER: SIGUSR2 not blocked inside its handler", nodefer_blocked, 0);
    sigaction(SIGUSR2, 0, &now);
    check("SA_RESETHAND: the action is SIG_DFL after one delivery", now.sa_handler == SIG_DFL, 1);
    rh.sa_flags = 0;
    sigaction(SIGUSR2, &rh, 0);
    kill(getpid(), SIGUSR2);
    check("without SA_NODEFER: SIGUSR2 blocked inside its handler", nodefer_blocked, 1);
    signal(SIGUSR2, SIG_DFL);

    /* sigaltstack */
    static char alt[16384];
    stack_t ss = { .ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 0 }, oss;
    check("sigaltstack", sigaltstack(&ss, &oss), 0);
    check("sigaltstack below MINSIGSTKSZ: ENOMEM", raw(SYS_sigaltstack, (long)&(stack_t){ .ss_sp = alt, .ss_size = 100 }, 0, 0, 0, 0), -ENOMEM);
}

static void execs(void)
{
    char *argv[] = { "x", 0 };
    check("execve of a missing file: ENOENT", raw(SYS_execve, (long)"/no/such/file", (long)argv, 0, 0, 0), -ENOENT);
    check("execve of a non-ELF data module: ENOEXEC", raw(SYS_execve, (long)"notelf", (long)argv, 0, 0, 0), -ENOEXEC);
    check("execve with a bad path: EFAULT", raw(SYS_execve, (long)BAD, (long)argv, 0, 0, 0), -EFAULT);
    check("execve with a bad argv: EFAULT", raw(SYS_execve, (long)"proctest", (long)BAD, 0, 0, 0), -EFAULT);
    char *badv[] = { "x", BAD, 0 };
    check("execve with a bad string in argv: EFAULT", raw(SYS_execve, (long)"proctest", (long)badv, 0, 0, 0), -EFAULT);
    check("execve with a kernel pointer: EFAULT", raw(SYS_execve, (long)KERNEL, 0, 0, 0, 0), -EFAULT);
    check("still running after every failed execve", 1, 1);
    pid_t child = fork();
    if (child == 0)
    {
        char *args[] = { "proctest", "exit42", 0 };
        execve("/bin/proctest", args, (char *[]){ "A=1", 0 });
        _exit(99);
    }
    int status;
    waitpid(child, &status, 0);
    check("execve of /bin/proctest by the data module's name: its exit status", WEXITSTATUS(status), 42);
    child = fork();
    if (child == 0)
    {   /* bytes of 0x80 and more, UTF-8 or not, reach the new image as they were */
        char *args[] = { "proctest", "rawbytes", "\xce\x94\xff", 0 };
        execve("/bin/proctest", args, (char *[]){ "B=\xce\x94\x80", 0 });
        _exit(99);
    }
    waitpid(child, &status, 0);
    check("execve keeps argv's and envp's bytes (UTF-8 and not): exit 47", WEXITSTATUS(status), 47);
    child = fork();
    if (child == 0)
    {
        char *args[] = { "interp", "extra", 0 };
        execve("interp", args, (char *[]){ 0 });
        _exit(98);
    }
    waitpid(child, &status, 0);
    check("execve of a #! script: the interpreter got its argument, the path, the rest (exit 43)", WEXITSTATUS(status), 43);
    char *spawn_args[] = { "proctest", "exit42", 0 };
    check("posix_spawn (clone with CLONE_VM|CLONE_VFORK and a stack)", posix_spawn(&child, "/bin/proctest", 0, 0, spawn_args, (char *[]){ 0 }), 0);
    waitpid(child, &status, 0);
    check("the spawned program's exit status", WEXITSTATUS(status), 42);
}

static long elapsed_us(struct timespec *a, struct timespec *b)
{
    return (b->tv_sec - a->tv_sec) * 1000000 + (b->tv_nsec - a->tv_nsec) / 1000;
}

static void measure(void)
{
    enum { Rounds = 50 };
    struct timespec t0, t1;
    int status;
    long in_fork = 0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < Rounds; i++)
    {
        struct timespec f0, f1;
        clock_gettime(CLOCK_MONOTONIC, &f0);
        pid_t c = fork();
        if (c == 0) _exit(0);
        clock_gettime(CLOCK_MONOTONIC, &f1);
        in_fork += elapsed_us(&f0, &f1);
        waitpid(c, &status, 0);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("proctest: measured fork+exit+wait: %ld us each, of which the parent's fork call %ld us (%d rounds, 10 ms clock)\n",
           elapsed_us(&t0, &t1) / Rounds, in_fork / Rounds, Rounds);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < Rounds; i++)
    {
        pid_t c = fork();
        if (c == 0) { char *args[] = { "proctest", "exit42", 0 }; execve("proctest", args, (char *[]){ 0 }); _exit(99); }
        waitpid(c, &status, 0);
        if (WEXITSTATUS(status) != 42) { check("measured exec's exit status", WEXITSTATUS(status), 42); break; }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("proctest: measured fork+execve+exit+wait: %ld us each (%d rounds)\n", elapsed_us(&t0, &t1) / Rounds, Rounds);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < Rounds * 20; i++) kill(getpid(), SIGUSR1);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("proctest: measured kill(self)+handler+sigreturn: %ld us each (%d rounds)\n", elapsed_us(&t0, &t1) / (Rounds * 20), Rounds * 20);
}

static void after_garbage(void) { _exit(33); }

/* rt_sigreturn on a frame the program made up: rip, rsp and the extended state's pointer from it. */
static void forged_sigreturn(uint64_t rip, int garbage_state)
{
    static uint64_t uc[64];
    static unsigned char state[4096] __attribute__((aligned(64)));
    static uint64_t stack[512] __attribute__((aligned(16)));
    memset(state, 0xff, sizeof state);
    memset(uc, 0, sizeof uc);
    uint64_t *m = (uint64_t *)((char *)uc + 40);
    m[15] = (uint64_t)&stack[510] - 8;
    m[16] = rip;
    m[23] = garbage_state ? (uint64_t)state : 0;
    __asm__ volatile("mov %0, %%rsp\n mov $15, %%eax\n syscall\n ud2" :: "r"(uc) : "memory");
}

static void bad_pointers(void)
{
    int st;
    pid_t forged = fork();
    if (forged == 0) forged_sigreturn(0x700000001000UL, 0);    /* rip in the library OS */
    waitpid(forged, &st, 0);
    check("rt_sigreturn to the library OS's code: the process gets SIGSEGV", WIFSIGNALED(st) ? WTERMSIG(st) : -1, SIGSEGV);
    forged = fork();
    if (forged == 0) forged_sigreturn((uint64_t)after_garbage, 1);
    waitpid(forged, &st, 0);
    check("rt_sigreturn with an all-ones extended state: resumes, exits 33", WIFEXITED(st) ? WEXITSTATUS(st) : -1, 33);
    forged = fork();
    if (forged == 0) { __asm__ volatile("mov $0x10, %%rsp\n mov $15, %%eax\n syscall\n ud2" ::: "memory"); }
    waitpid(forged, &st, 0);
    check("rt_sigreturn with rsp unmapped: SIGSEGV", WIFSIGNALED(st) ? WTERMSIG(st) : -1, SIGSEGV);

    pid_t child = fork();
    if (child == 0) _exit(0);
    check("wait4 bad status: EFAULT", raw(SYS_wait4, child, (long)BAD, 0, 0, 0), -EFAULT);
    check("wait4 kernel status pointer: EFAULT", raw(SYS_wait4, child, (long)KERNEL, 0, 0, 0), -EFAULT);
    check("wait4 bad rusage: EFAULT", raw(SYS_wait4, child, 0, 0, (long)BAD, 0), -EFAULT);
    check("waitid bad info: EFAULT", raw(SYS_waitid, P_PID, child, (long)BAD, WEXITED, 0), -EFAULT);
    check("wait4 bad options: EINVAL", raw(SYS_wait4, child, 0, 0x1000, 0, 0), -EINVAL);
    check("the child is still reapable", raw(SYS_wait4, child, 0, 0, 0, 0), child);
    check("rt_sigaction bad act: EFAULT", raw(SYS_rt_sigaction, SIGUSR1, (long)BAD, 0, 8, 0), -EFAULT);
    check("rt_sigaction bad oldact: EFAULT", raw(SYS_rt_sigaction, SIGUSR1, 0, (long)KERNEL, 8, 0), -EFAULT);
    check("rt_sigaction SIGKILL: EINVAL", raw(SYS_rt_sigaction, SIGKILL, (long)&(struct sigaction){ 0 }, 0, 8, 0), -EINVAL);
    check("rt_sigaction signal 0: EINVAL", raw(SYS_rt_sigaction, 0, 0, 0, 8, 0), -EINVAL);
    check("rt_sigaction size 4: EINVAL", raw(SYS_rt_sigaction, SIGUSR1, 0, 0, 4, 0), -EINVAL);
    check("rt_sigprocmask bad set: EFAULT", raw(SYS_rt_sigprocmask, SIG_BLOCK, (long)BAD, 0, 8, 0), -EFAULT);
    check("rt_sigprocmask bad how: EINVAL", raw(SYS_rt_sigprocmask, 7, (long)&(sigset_t){ 0 }, 0, 8, 0), -EINVAL);
    check("rt_sigpending bad: EFAULT", raw(SYS_rt_sigpending, (long)BAD, 8, 0, 0, 0), -EFAULT);
    check("rt_sigsuspend bad: EFAULT", raw(SYS_rt_sigsuspend, (long)BAD, 8, 0, 0, 0), -EFAULT);
    check("sigaltstack bad: EFAULT", raw(SYS_sigaltstack, (long)BAD, 0, 0, 0, 0), -EFAULT);
    check("nanosleep bad: EFAULT", raw(SYS_nanosleep, (long)BAD, 0, 0, 0, 0), -EFAULT);
    check("nanosleep bad nanoseconds: EINVAL", raw(SYS_nanosleep, (long)&(struct timespec){ 0, 2000000000 }, 0, 0, 0, 0), -EINVAL);
    check("clock_nanosleep bad: EFAULT", raw(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, (long)BAD, 0, 0), -EFAULT);
    check("setitimer bad: EFAULT", raw(SYS_setitimer, ITIMER_REAL, (long)BAD, 0, 0, 0), -EFAULT);
    check("getitimer bad: EFAULT", raw(SYS_getitimer, ITIMER_REAL, (long)BAD, 0, 0, 0), -EFAULT);
    check("wait4 with status in the library OS's heap (0x10000000): EFAULT", raw(SYS_wait4, -1, 0x10000000, WNOHANG, 0, 0), -EFAULT);
    check("sigaction writing into the exception stack: EFAULT", raw(SYS_rt_sigaction, SIGUSR1, 0, 0x6fffff00, 8, 0), -EFAULT);
    check("clone with a bad parent_tid: EFAULT", raw(SYS_clone, SIGCHLD | CLONE_PARENT_SETTID, 0, (long)BAD, 0, 0), -EFAULT);
    check("clone3 with bad arguments: EFAULT", raw(435, (long)BAD, 88, 0, 0, 0), -EFAULT);
    check("clone3 with a short size: EINVAL", raw(435, (long)&(uint64_t[11]){ 0 }, 8, 0, 0, 0), -EINVAL);
    check("clone of a thread: EINVAL", raw(SYS_clone, CLONE_VM | CLONE_THREAD | CLONE_SIGHAND, (long)0x100000, 0, 0, 0), -EINVAL);
    check("setpgid of a stranger: ESRCH", raw(SYS_setpgid, 0x7ffffff0, 0, 0, 0, 0), -ESRCH);
    check("getsid of a stranger: ESRCH", raw(SYS_getsid, 0x7ffffff0, 0, 0, 0, 0), -ESRCH);

    /* a write to a pipe with no reader left: SIGPIPE (its default ends the process), EPIPE when ignored */
    int p[2];
    pipe(p);
    close(p[0]);
    pid_t w = fork();
    if (w == 0) { raw(SYS_write, p[1], (long)"x", 1, 0, 0); _exit(0); }
    waitpid(w, &st, 0);
    check("write to a pipe without a reader: the writer ends by SIGPIPE", WIFSIGNALED(st) ? WTERMSIG(st) : -1, SIGPIPE);
    signal(SIGPIPE, SIG_IGN);
    check("with SIGPIPE ignored: EPIPE", raw(SYS_write, p[1], (long)"x", 1, 0, 0), -EPIPE);
    signal(SIGPIPE, SIG_DFL);
    close(p[1]);

    /* futex for a process of one thread: nothing to wake, a wait that could never end refused */
    static uint32_t word = 5;
    check("futex FUTEX_WAKE: no one woken", raw(SYS_futex, (long)&word, 1 | 128, 1, 0, 0), 0);
    check("futex FUTEX_WAIT on another value: EAGAIN", raw(SYS_futex, (long)&word, 0 | 128, 4, 0, 0), -EAGAIN);
    check("futex FUTEX_WAIT on its value, no other thread: EDEADLK", raw(SYS_futex, (long)&word, 0, 5, 0, 0), -EDEADLK);
    check("futex bad word: EFAULT", raw(SYS_futex, (long)BAD, 1, 1, 0, 0), -EFAULT);
    check("futex unaligned word: EINVAL", raw(SYS_futex, (long)&word + 1, 1, 1, 0, 0), -EINVAL);

    /* time(2) is the wall clock's seconds; prctl keeps a 15-byte name */
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    long seconds = raw(SYS_time, 0, 0, 0, 0, 0), stored = 0;
    check("time within a second of CLOCK_REALTIME", seconds - now.tv_sec >= 0 && seconds - now.tv_sec <= 1, 1);
    check("time stores what it returns", raw(SYS_time, (long)&stored, 0, 0, 0, 0) == stored && stored >= seconds, 1);
    check("time bad pointer: EFAULT", raw(SYS_time, (long)BAD, 0, 0, 0, 0), -EFAULT);
    char name[16] = { 0 };
    check("prctl PR_SET_NAME", raw(SYS_prctl, 15, (long)"proctest-a-long-name", 0, 0, 0), 0);
    raw(SYS_prctl, 16, (long)name, 0, 0, 0);
    check("prctl PR_GET_NAME gives its first 15 bytes", strcmp(name, "proctest-a-long"), 0);
    check("prctl PR_GET_NAME bad pointer: EFAULT", raw(SYS_prctl, 16, (long)BAD, 0, 0, 0), -EFAULT);
    check("prctl unknown option: EINVAL", raw(SYS_prctl, 0x7777, 0, 0, 0, 0), -EINVAL);
}

static void forkbomb(void)
{
    /* Every process forks until it cannot; the kernel's and ExOS's limits end it with EAGAIN.
     * Children pause; the first process kills its tree by group and reaps. */
    int made = 0, err = 0;
    pid_t root = getpid();
    for (int round = 0; round < 2000; round++)
    {
        pid_t c = fork();
        if (c < 0) { err = errno; break; }
        if (c == 0) { made = 0; continue; }       /* the child forks on too */
        made++;
    }
    if (getpid() != root) { for (;;) pause(); }
    printf("proctest: fork bomb: the first process made %d children, then errno %d (%s)\n", made, err, strerror(err));
    check("fork bomb ends with EAGAIN", err, EAGAIN);
    /* every other process of the tree, again while some were still being made */
    int rounds = 0;
    while (kill(-1, SIGKILL) == 0 && rounds < 1000) { rounds++; usleep(10000); }
    printf("proctest: kill(-1, SIGKILL) found processes in %d rounds\n", rounds);
    check("no process of the tree left but this one: kill(-1, 0) ESRCH", raw(SYS_kill, -1, 0, 0, 0, 0), -ESRCH);
    /* what is left: reap our own children */
    int reaped = 0, status;
    while (waitpid(-1, &status, 0) > 0) reaped++;
    check("every child of the first process reaped", reaped, made);
    pid_t c = fork();
    if (c == 0) _exit(5);
    check("fork works again afterwards", c > 0, 1);
    if (c > 0) { waitpid(c, &status, 0); check("its exit status", WEXITSTATUS(status), 5); }
}

int main(int argc, char **argv)
{
    setvbuf(stdout, 0, _IONBF, 0);
    if (argc > 1 && strcmp(argv[1], "exit42") == 0) return 42;
    if (argc > 1 && strcmp(argv[1], "scriptmode") == 0)
        return argc == 4 && strcmp(argv[0], "/bin/proctest") == 0 && strcmp(argv[2], "interp") == 0 && strcmp(argv[3], "extra") == 0 ? 43 : 1;
    if (argc > 1 && strcmp(argv[1], "rawbytes") == 0)
        return argc == 3 && strcmp(argv[2], "\xce\x94\xff") == 0 && getenv("B") && strcmp(getenv("B"), "\xce\x94\x80") == 0 ? 47 : 1;
    if (argc > 1 && strcmp(argv[1], "printmark") == 0)
        return memcmp(marker_at + 5, "patched!", 8) == 0 ? 44 : memcmp(marker_at + 5, "original", 8) == 0 ? 45 : 46;
    if (argc > 1 && strcmp(argv[1], "rewrite") == 0) { rewrite(); printf("proctest: rewrite %d failures\n", failures); return failures; }
    if (argc > 1 && strcmp(argv[1], "forkbomb") == 0) forkbomb();
    else if (argc > 1 && strcmp(argv[1], "fromdisk") == 0)
    {   /* /bin/fromdisk is no data module's name: only the file system has it (fsput put it there) */
        pid_t c = fork();
        if (c == 0) { char *args[] = { "fromdisk", "exit42", 0 }; execve("/bin/fromdisk", args, (char *[]){ 0 }); _exit(errno); }
        int status;
        waitpid(c, &status, 0);
        check("execve of /bin/fromdisk from the file system: its exit status", WEXITSTATUS(status), 42);
        c = fork();     /* a relative path is looked up from the working directory */
        if (c == 0) { char *args[] = { "fromdisk", "exit42", 0 }; if (chdir("/bin") == 0) execve("fromdisk", args, (char *[]){ 0 }); _exit(errno); }
        waitpid(c, &status, 0);
        check("execve of fromdisk relative to the working directory /bin: its exit status", WEXITSTATUS(status), 42);
        check("execve of a directory: EACCES", raw(SYS_execve, (long)"/bin", (long)(char *[]){ "x", 0 }, 0, 0, 0), -EACCES);
        check("execve of a missing file under /bin: ENOENT", raw(SYS_execve, (long)"/bin/none", (long)(char *[]){ "x", 0 }, 0, 0, 0), -ENOENT);
        /* the program's code is read-only: a store into it is SIGSEGV with SEGV_ACCERR */
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = on_segv;
        sa.sa_flags = SA_SIGINFO;
        sigaction(SIGSEGV, &sa, 0);
        segv_code = 0;
        if (sigsetjmp(segv_jump, 1) == 0) { *(volatile char *)(uintptr_t)&main = 0; check("a store into the program's code went on (it must not)", 1, 0); }
        check("a store into the program's code: SIGSEGV with SEGV_ACCERR", segv_code, SEGV_ACCERR);
        sleep(1);           /* /bin/fromdisk then changed before the second its child loads it in */
        check("/bin/fromdisk keeps its read-only pages across an unchanged execve and is ETXTBSY while it runs", run_fromdisk("/bin/fromdisk", "rewrite"), 0);
        check("/bin/fromdisk patched in place once nothing runs it", patch_fromdisk(), 0);
        check("execve of the patched file: the new marker", run_fromdisk("/bin/fromdisk", "printmark"), 44);
    }
    else
    {
        forks();
        signals();
        execs();
        bad_pointers();
        measure();
    }
    printf("proctest: %d failures\n", failures);
    return failures;
}
