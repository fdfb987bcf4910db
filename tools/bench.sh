#!/usr/bin/env bash
# make bench: ExoSharp's primitives against the peer, a stock Debian Linux kernel (package
# linux-image-6.1.0-50-cloud-amd64 6.1.176-1, fetched with apt-get download into out/peer,
# never committed) running src/Bench/Linux/bench.c as /init, in the same QEMU
# (-accel tcg -cpu max -smp 1 -m 256M): once with -icount shift=0 (time-stamp counter =
# guest instructions, deterministic) and once on the wall clock. Prints
# "BENCH <op> exosharp=<n> linux=<n> ratio=<linux/exosharp>", then the wall-clock table,
# and writes docs/benchmarks.md and docs/benchmarks.svg from the runs.
set -euo pipefail
cd "$(dirname "$0")/.."
peer=out/peer
kernel_package=linux-image-6.1.0-50-cloud-amd64
kernel_version=6.1.176-1
vmlinuz=$peer/root/boot/vmlinuz-6.1.0-50-cloud-amd64
mkdir -p "$peer" out/bench

if [ ! -f "$vmlinuz" ]; then
    command -v cpio >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -qq --no-install-recommends cpio >/dev/null; } ||
        { echo "bench: needs cpio: apt-get install cpio" >&2; exit 1; }
    (cd "$peer" && apt-get download "$kernel_package=$kernel_version" >/dev/null 2>&1) ||
        { echo "bench: cannot download $kernel_package=$kernel_version (apt-get update first?)" >&2; exit 1; }
    dpkg -x "$peer/${kernel_package}_${kernel_version}_amd64.deb" "$peer/root"
fi
mkdir -p "$peer/initramfs"
gcc -O2 -static -o "$peer/initramfs/init" src/Bench/Linux/bench.c
(cd "$peer/initramfs" && echo init | cpio -o -H newc --quiet > ../initrd.cpio)

qemu_common=(-accel tcg -cpu max -smp 1 -m 256M -display none -monitor none -no-reboot)
linux() { # $1: extra flags
    # shellcheck disable=SC2086
    timeout 600 qemu-system-x86_64 "${qemu_common[@]}" $1 -serial stdio \
        -kernel "$vmlinuz" -initrd "$peer/initrd.cpio" -append "console=ttyS0 quiet panic=-1" </dev/null |
        tr -d '\r' | grep '^BENCH' || true
}
exosharp() { QEMUFLAGS="$1" tools/run.sh --timeout 600 bench | grep '^BENCH' || true; }

exosharp "-icount shift=0" > out/bench/exosharp-icount.txt
linux "-icount shift=0" > out/bench/linux-icount.txt
exosharp "" > out/bench/exosharp-wall.txt
linux "" > out/bench/linux-wall.txt
for f in out/bench/*.txt; do grep -q 'BENCH done' "$f" || { echo "bench: the run for $f did not finish:" >&2; cat "$f" >&2; exit 1; }; done

ops="null_syscall upcall_roundtrip trap prot1 prot100 unprot100 appel1 appel2 first_touch_fault ipc_roundtrip env_switch"
value() { grep "^BENCH $2 " "$1" | sed -E "s/.* $3=([0-9]+).*/\1/"; }
table() { # $1: exosharp file, $2: linux file
    for op in $ops; do
        e=$(value "$1" "$op" median); l=$(value "$2" "$op" median)
        echo "$op $e $l $(awk -v e="$e" -v l="$l" 'BEGIN { printf "%.2f", (e > 0 ? l / e : 0) }')"
    done
}
table out/bench/exosharp-icount.txt out/bench/linux-icount.txt > out/bench/icount.table
table out/bench/exosharp-wall.txt out/bench/linux-wall.txt > out/bench/wall.table
while read -r op e l r; do echo "BENCH $op exosharp=$e linux=$l ratio=$r"; done < out/bench/icount.table
echo
echo "Wall clock (TSC ticks of QEMU's emulated TSC, median):"
printf '%-18s %12s %12s %8s\n' operation exosharp linux ratio
while read -r op e l r; do printf '%-18s %12s %12s %8s\n' "$op" "$e" "$l" "$r"; done < out/bench/wall.table

# The chart: instructions per operation, both kernels, log scale.
awk 'BEGIN { w = 760; row = 34; left = 150; print "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" w "\" height=\"" (row * 11 + 70) "\" font-family=\"sans-serif\" font-size=\"12\">";
             print "<text x=\"10\" y=\"20\" font-size=\"14\">Guest instructions per operation (QEMU TCG, -icount shift=0; log scale)</text>";
             print "<rect x=\"" left "\" y=\"30\" width=\"12\" height=\"10\" fill=\"#2b6cb0\"/><text x=\"" left+16 "\" y=\"39\">ExoSharp</text>";
             print "<rect x=\"" left+90 "\" y=\"30\" width=\"12\" height=\"10\" fill=\"#c05621\"/><text x=\"" left+106 "\" y=\"39\">Linux 6.1</text>"; n = 0 }
     { y = 55 + n * row; n++; scale = (w - left - 80) / log(100000);
       ex = ($2 > 1 ? log($2) : 0) * scale; li = ($3 > 1 ? log($3) : 0) * scale;
       print "<text x=\"10\" y=\"" y+14 "\">" $1 "</text>";
       print "<rect x=\"" left "\" y=\"" y "\" width=\"" ex "\" height=\"12\" fill=\"#2b6cb0\"/><text x=\"" left+ex+4 "\" y=\"" y+10 "\">" $2 "</text>";
       print "<rect x=\"" left "\" y=\"" y+13 "\" width=\"" li "\" height=\"12\" fill=\"#c05621\"/><text x=\"" left+li+4 "\" y=\"" y+23 "\">" $3 "</text>" }
     END { print "</svg>" }' out/bench/icount.table > docs/benchmarks.svg

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
{
    echo "# Benchmarks: ExoSharp against Linux in the same QEMU"
    echo
    echo "Written by \`make bench\` (tools/bench.sh) from its own runs; do not edit by hand."
    echo "Commit measured: \`$commit\`$(git diff --quiet 2>/dev/null || echo ' (with uncommitted changes)'). QEMU $(qemu-system-x86_64 --version | head -1 | sed 's/.*version //')."
    echo
    echo "The peer is the stock Debian kernel \`$kernel_package\` $kernel_version running"
    echo "\`src/Bench/Linux/bench.c\` (gcc -static) as /init. Both sides run in"
    echo "\`qemu-system-x86_64 ${qemu_common[*]}\`, each operation $((201)) times; the figure is the"
    echo "median, with the cost of reading the time-stamp counter taken off."
    echo
    echo "## Guest instructions (-icount shift=0)"
    echo
    echo "| operation | ExoSharp | Linux | Linux / ExoSharp |"
    echo "|---|---:|---:|---:|"
    while read -r op e l r; do echo "| $op | $e | $l | $r |"; done < out/bench/icount.table
    echo
    echo "![instructions per operation](benchmarks.svg)"
    echo
    echo "## Wall clock (emulated TSC ticks, plain TCG; noisy)"
    echo
    echo "| operation | ExoSharp | Linux | Linux / ExoSharp |"
    echo "|---|---:|---:|---:|"
    while read -r op e l r; do echo "| $op | $e | $l | $r |"; done < out/bench/wall.table
    echo
    echo "## What each operation is"
    echo
    echo "| operation | ExoSharp | Linux |"
    echo "|---|---|---|"
    echo "| null_syscall | \`EnvId\` | raw \`syscall\` getppid |"
    echo "| upcall_roundtrip | \`ud2\`, handled and resumed in user space | \`ud2\`, SIGILL handler, sigreturn |"
    echo "| trap | write to a read-only page; the handler maps it writable | same with SIGSEGV and mprotect |"
    echo "| prot1 | \`PageMap\` one page read-only | \`mprotect\` one page |"
    echo "| prot100 / unprot100 | one batched \`PageMap\` of 100 pages | one \`mprotect\` of 100 pages |"
    echo "| appel1 | trap + unprotect it + protect another page | same |"
    echo "| appel2 | protect 100 pages, touch each (per page) | same |"
    echo "| first_touch_fault | fault on an unmapped page; the handler allocates and maps a frame | demand-zero fault in the kernel |"
    echo "| ipc_roundtrip | \`IpcCall\` to a server in \`IpcReply\`-and-wait | one byte each way through two pipes |"
    echo "| env_switch | directed \`Yield\` between two environments (per switch) | \`sched_yield\` between two SCHED_FIFO processes (per switch) |"
    echo
    echo "Where the instructions go on ExoSharp's paths today, and what issue 6 wants: see the"
    echo "notes in docs/benchmarks-notes.md."
} > docs/benchmarks.md
echo
echo "bench: wrote docs/benchmarks.md and docs/benchmarks.svg"
