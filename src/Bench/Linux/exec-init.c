/* /init for running one stock .NET program on the Linux peer (tools/bench.sh): mounts /proc
   (the .NET runtime reads it), runs /program with no arguments, waits, powers off. The
   program's output goes to the console like bench.c's. */
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    mount("proc", "/proc", "proc", 0, 0);
    pid_t child = fork();
    if (child == 0) {
        char *argv[] = { "/program", 0 };
        char *envp[] = { 0 };
        execve("/program", argv, envp);
        _exit(127);
    }
    int status;
    waitpid(child, &status, 0);
    sync();
    reboot(RB_POWER_OFF);
    return 0;
}
