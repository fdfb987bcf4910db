#!/usr/bin/env bash
# Where one operation's guest instructions go: boots the bench build (out/kernel-bench.elf,
# the bench program) under QEMU's gdb stub with -icount shift=0, stops where START is reached
# the (SKIP + 1)-th time COND holds, single-steps the operation (to the return to user mode,
# or START's return address for a user-mode START) and prints the count and the run of
# functions it went through, instructions in each, in order. Used for docs/benchmarks-notes.md.
# usage: tools/trace-op.sh START [COND [SKIP]]      (make all out/kernel-bench.elf first)
#   tools/trace-op.sh syscall_entry '$rax==6' 2              EnvIdOf (null_syscall_general)
#   tools/trace-op.sh syscall_entry '$rax==4 && $rdi!=0' 3   a directed Yield (env_switch)
#   tools/trace-op.sh syscall_entry '$rax==53' 3             PageMapRange (prot100)
set -euo pipefail
cd "$(dirname "$0")/.."
start="$1" cond="${2:-1}" skip="${3:-0}"
work=$(mktemp -d)
trap 'kill $qemu 2>/dev/null || true; rm -rf "$work"' EXIT
port=$((20000 + RANDOM % 20000))
QEMUFLAGS="-S -gdb tcp:127.0.0.1:$port -icount shift=0" tools/run.sh --timeout 600 --serial "$work/serial.log" \
    --kernel out/kernel-bench.elf bench >/dev/null 2>&1 &
qemu=$!
for _ in $(seq 50); do (echo >/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
TRACE_START="$start" TRACE_COND="$cond" TRACE_SKIP="$skip" TRACE_OUT="$work/pcs" \
    gdb -batch -q -nx out/kernel-bench.elf -ex "set architecture i386:x86-64" -ex "add-symbol-file out/apps.elf" \
        -ex "target remote 127.0.0.1:$port" -x tools/trace-op.py >/dev/null 2>&1 || true
[ -s "$work/pcs" ] || { echo "trace-op: nothing traced (START never reached with COND?)" >&2; exit 1; }
{ nm -n out/kernel-bench.elf; nm -n out/apps.elf; } > "$work/symbols"
python3 - "$work/symbols" "$work/pcs" <<'PY'
import sys, bisect
symbols = sorted((int(p[0], 16), p[2]) for p in (l.split() for l in open(sys.argv[1])) if len(p) == 3)
starts = [a for a, _ in symbols]
runs = []
pcs = [int(l, 16) for l in open(sys.argv[2])]
for pc in pcs:
    i = bisect.bisect_right(starts, pc) - 1
    name = symbols[i][1] if i >= 0 else "?"
    name = name.replace("Kernel_ExoSharp_Kernel_", "").replace("Corelib_System_", "")
    if name.startswith("..@"):
        name = runs[-1][0] if runs else name     # a macro's local label: its function's
    if runs and runs[-1][0] == name:
        runs[-1][1] += 1
    else:
        runs.append([name, 1])
print("%d instructions" % len(pcs))
for name, n in runs:
    print("  %5d  %s" % (n, name))
PY
