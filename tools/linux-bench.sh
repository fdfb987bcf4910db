#!/usr/bin/env bash
# make bench's Linux-binary part, also runnable alone: the very static binaries the Linux peer
# runs, src/Bench/Linux/bench.c and src/Bench/Linux/procbench.c (gcc -static), on ExoSharp under
# the Linux library OS (`linux /bin/bench`, `linux /bin/procbench` from a C-FFS disk that also
# holds busybox-static at /bin/busybox, made by tools/fsimage) and
# on the peer (tools/peer.sh's kernel; bench.c alone as /init as in tools/bench.sh, procbench as
# /init of an image with busybox), each once with -icount shift=0 (guest instructions) and once
# on the wall clock. Prints "BENCH linux_<operation> exosharp=<n> linux=<n> unit=instructions
# ratio=<linux/exosharp>" per operation, then the wall-clock table, and writes out/bench/linuxabi.md,
# the section tools/bench.sh puts into docs/benchmarks.md.
# Usage: tools/linux-bench.sh [PEER_ICOUNT PEER_WALL]   (bench.c's peer runs already made by
#        tools/bench.sh: those files are used instead of running bench.c on the peer again)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=out/bench/linuxabi
mkdir -p "$dir"
gcc -O2 -static -o "$dir/bench" src/Bench/Linux/bench.c
gcc -O2 -static -o "$dir/procbench" src/Bench/Linux/procbench.c
busybox=$(tools/busybox.sh)
vmlinuz=$(tools/peer.sh kernel)
[ -f out/apps.elf ] && [ -f out/kernel.elf ] || make -s all >&2

rm -rf "$dir/exo-root"; mkdir -p "$dir/exo-root/bin"
cp "$dir/bench" "$dir/procbench" "$busybox" "$dir/exo-root/bin/"
exosharp() { # $1: QEMU flags, $2: the program line
    tools/fsimage make "$dir/exo.img" "$dir/exo-root" 16 >/dev/null
    QEMUFLAGS="$1" tools/run.sh --timeout 1500 --disk "$dir/exo.img" "$2" | tr -d '\r' | grep '^BENCH' || true
}
peer() { # $1: QEMU flags, $2: the initramfs
    # shellcheck disable=SC2086
    timeout 1500 qemu-system-x86_64 -accel tcg -cpu max -smp 1 -m 256M -display none -monitor none -no-reboot $1 \
        -serial stdio -kernel "$vmlinuz" -initrd "$2" -append "console=ttyS0 quiet panic=-1" </dev/null |
        tr -d '\r' | grep '^BENCH' || true
}

rm -rf "$dir/bench-root" "$dir/proc-root"
mkdir -p "$dir/bench-root" "$dir/proc-root"
cp "$dir/bench" "$dir/bench-root/init"
(cd "$dir/bench-root" && echo init | cpio -o -H newc --quiet > ../bench-initrd.cpio)
cp "$dir/procbench" "$dir/proc-root/init"
tools/peer.sh initrd "$dir/proc-root" "$dir/proc-initrd.cpio"

for mode in icount wall; do
    flags=""; [ "$mode" = icount ] && flags="-icount shift=0"
    exosharp "$flags" "linux /bin/bench" > "$dir/exosharp-bench-$mode.txt"
    exosharp "$flags" "linux /bin/procbench" > "$dir/exosharp-proc-$mode.txt"
    given=${1:-}; [ "$mode" = wall ] && given=${2:-}
    if [ -n "$given" ] && [ -f "$given" ]; then cp "$given" "$dir/linux-bench-$mode.txt"
    else peer "$flags" "$dir/bench-initrd.cpio" > "$dir/linux-bench-$mode.txt"; fi
    peer "$flags" "$dir/proc-initrd.cpio" > "$dir/linux-proc-$mode.txt"
done
for f in "$dir"/*-bench-*.txt "$dir"/*-proc-*.txt; do
    grep -q 'BENCH done' "$f" || { echo "linux-bench: the run for $f did not finish:" >&2; cat "$f" >&2; exit 1; }
done

bench_ops="null_syscall upcall_roundtrip trap prot1 unprot1 prot100 unprot100 appel1 appel2 first_touch_fault ipc_roundtrip env_switch"
proc_ops="fork_exit_wait execve sh_true_1000"
value() { grep "^BENCH $2 " "$1" | sed -E "s/.* $3=([0-9]+).*/\1/"; }
table() { # $1: icount or wall -> op, medians, ratio, min-max of each side
    for op in $bench_ops $proc_ops; do
        kind=bench; case " $proc_ops " in *" $op "*) kind=proc ;; esac
        e="$dir/exosharp-$kind-$1.txt" l="$dir/linux-$kind-$1.txt"
        em=$(value "$e" "$op" median); lm=$(value "$l" "$op" median)
        echo "linux_$op $em $lm $(awk -v e="$em" -v l="$lm" 'BEGIN { printf "%.2f", (e > 0 ? l / e : 0) }')" \
             "$(value "$e" "$op" min)-$(value "$e" "$op" max) $(value "$l" "$op" min)-$(value "$l" "$op" max)"
    done
}
table icount > "$dir/icount.table"
table wall > "$dir/wall.table"
while read -r op e l r _; do echo "BENCH $op exosharp=$e linux=$l unit=instructions ratio=$r"; done < "$dir/icount.table"
echo
echo "Linux binaries, wall clock (TSC ticks of QEMU's emulated TSC, median):"
printf '%-26s %14s %14s %8s\n' operation exosharp linux ratio
while read -r op e l r _; do printf '%-26s %14s %14s %8s\n' "$op" "$e" "$l" "$r"; done < "$dir/wall.table"

{
    echo "## Linux binaries: the Linux library OS against Linux"
    echo
    echo "The same static binaries on both sides: \`src/Bench/Linux/bench.c\` (the program above's Linux"
    echo "column; 201 runs per operation) and \`src/Bench/Linux/procbench.c\` (21 runs; sh_true_1000 one run),"
    echo "on ExoSharp under the Linux library OS (\`linux /bin/bench\`, \`linux /bin/procbench\` from a C-FFS disk"
    echo "with Debian's busybox-static at /bin/busybox; docs/linux.md) and on the peer as /init (procbench's image with the same"
    echo "busybox, tools/peer.sh initrd). Medians in guest instructions (-icount shift=0; the TSC also runs"
    echo "while a guest halts, so a wait for a clock tick counts), ratio Linux / ExoSharp; min-max beside."
    echo "\`tools/linux-bench.sh\` runs this part alone."
    echo
    echo "| operation | ExoSharp (Linux library OS) | Linux | Linux / ExoSharp | ExoSharp min-max | Linux min-max |"
    echo "|---|---:|---:|---:|---:|---:|"
    while read -r op e l r re rl; do echo "| $op | $e | $l | $r | $re | $rl |"; done < "$dir/icount.table"
    echo
    echo "Wall clock (emulated TSC ticks, plain TCG; noisy):"
    echo
    echo "| operation | ExoSharp (Linux library OS) | Linux | Linux / ExoSharp | ExoSharp min-max | Linux min-max |"
    echo "|---|---:|---:|---:|---:|---:|"
    while read -r op e l r re rl; do echo "| $op | $e | $l | $r | $re | $rl |"; done < "$dir/wall.table"
    echo
    echo "| operation | what both sides run |"
    echo "|---|---|"
    echo "| linux_null_syscall | raw \`syscall\` getppid |"
    echo "| linux_upcall_roundtrip | \`ud2\`, SIGILL handler, rt_sigreturn |"
    echo "| linux_trap | write to a read-only page; the SIGSEGV handler mprotects it writable |"
    echo "| linux_prot1 / linux_unprot1 | \`mprotect\` of one page read-only / writable again |"
    echo "| linux_prot100 / linux_unprot100 | one \`mprotect\` of 100 pages |"
    echo "| linux_appel1 | trap + unprotect it + protect another page |"
    echo "| linux_appel2 | protect 100 pages, touch each (per page) |"
    echo "| linux_first_touch_fault | the first write to a page of a fresh anonymous mmap |"
    echo "| linux_ipc_roundtrip | one byte each way through two pipes with a forked child |"
    echo "| linux_env_switch | \`sched_yield\` between two SCHED_FIFO processes (per switch) |"
    echo "| linux_fork_exit_wait | fork, the child \`_exit(0)\`, waitpid |"
    echo "| linux_execve | fork, the child execve()s procbench itself, which exits at once, waitpid |"
    echo "| linux_sh_true_1000 | busybox sh: \`sh -c true\` 1,000 times in a while loop (the whole run) |"
} > "$dir/../linuxabi.md"
