#!/usr/bin/env bash
# make debug: QEMU halted at reset with its gdb stub on localhost:1234, and gdb attached with
# the kernel's and the user programs' symbols. Serial output goes to out/debug-serial.log.
# usage: tools/debug.sh [--batch GDB-COMMANDS-FILE] PROGRAMS   (PROGRAMS as for tools/run.sh)
# Use hardware breakpoints (the kernel is loaded after reset, so software ones are lost):
#   (gdb) hbreak Kernel_ExoSharp_Kernel_Core_Traps__Handle
#   (gdb) continue
#   (gdb) bt
# C# method names are <Assembly>_<Namespace>_<Type>__<Method>; `info functions Traps` lists them.
# The images keep the compiler's DWARF (build/Bare.props: portable PDBs, so ILCompiler emits
# source lines), so source lines work too, in the kernel and in programs:
#   (gdb) hbreak Scheduler.cs:120
#   (gdb) continue
#   (gdb) list
set -uo pipefail
cd "$(dirname "$0")/.."
batch=""
if [ "${1:-}" = "--batch" ]; then batch="$2"; shift 2; fi
port=1234
tools/run.sh --timeout "${DEBUG_TIMEOUT:-0}" --gdb --serial out/debug-serial.log "$@" &
qemu=$!
trap 'kill $qemu 2>/dev/null; wait $qemu 2>/dev/null' EXIT
for _ in $(seq 50); do (echo >/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
gdbargs=(-q -nx out/kernel.elf
         -ex "set architecture i386:x86-64"
         -ex "add-symbol-file out/apps.elf"
         -ex "target remote 127.0.0.1:$port")
if [ -n "$batch" ]; then
    gdb -batch "${gdbargs[@]}" -x "$batch"
else
    echo "debug: serial output in out/debug-serial.log; QEMU is halted at reset"
    gdb "${gdbargs[@]}"
fi
