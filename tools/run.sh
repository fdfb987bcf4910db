#!/usr/bin/env bash
# Boots ExoSharp in QEMU (TCG, -cpu max) with the serial console on stdin and stdout:
# `-chardev stdio,mux=on,signal=off`, so Ctrl-C is the byte 0x03 for the guest (its console
# input, docs/abi.md ConsoleAttach) and Ctrl-A x ends QEMU (Ctrl-A is QEMU's escape: Ctrl-A
# Ctrl-A sends one 0x01). With --timeout the guest's input is /dev/null unless --stdin.
# usage: tools/run.sh [--timeout SECONDS] [--stdin] [--append KERNEL-CMDLINE] [--iso] [--gdb]
#                     [--serial FILE] [--net NET] [--http PORT] [--disk IMAGE] [--kernel ELF] [--file HOST[=NAME]] PROGRAMS
# --stdin: the serial's input is this script's standard input even with --timeout (tests that type).
# --serial FILE: the serial's output to FILE instead (no input).
# --kernel: another kernel image (make bench's out/kernel-bench.elf); default out/kernel.elf.
# --net: a virtio-net card on QEMU's user network, 127.0.0.1:PORT, PORT+1 and PORT+2 on the host
#   forwarded (TCP and UDP) to the guest's ports 7, 9 and 19 ("user:PORT"), or carrying raw Ethernet frames as UDP datagrams between
#   the guest's card (QEMU listens on 127.0.0.1:GUEST) and 127.0.0.1:HOST ("dgram:GUEST:HOST");
#   "none" (the default): no card.
# --http PORT: with --net user:..., host 127.0.0.1:PORT also forwarded (TCP) to the guest's port 80 (Cheetah).
# --disk: a virtio-blk disk backed by the raw image file IMAGE.
# --gdb: halt at reset with the gdb stub on 127.0.0.1:1234 (tools/debug.sh attaches gdb).
# PROGRAMS is a comma-separated list, each "name [args]", run in order from out/apps.elf.
# The console's output goes through tools/symbolize.py, which names the addresses the kernel
# prints raw in kill lines and panics.
# Extra QEMU flags: $QEMUFLAGS.
# GC_STRESS=1 appends gc=stress to the kernel command line and runs the programs under ExOS's
# gc=stress-all (below).
# Exit status: the guest's (isa-debug-exit: QEMU exits 2s+1 for status s), 124 on timeout.
set -uo pipefail
cd "$(dirname "$0")/.."
timeout=0 stdin=0 append="" iso=0 gdb=0 serial=stdio net=none http= disk= kernel=out/kernel.elf
while [ $# -gt 0 ]; do
    case "$1" in
        --timeout) timeout="$2"; shift 2 ;;
        --stdin) stdin=1; shift ;;
        --append) append="$2"; shift 2 ;;
        --iso) iso=1; shift ;;
        --gdb) gdb=1; shift ;;
        --serial) serial="file:$2"; shift 2 ;;
        --net) net="$2"; shift 2 ;;
        --http) http="$2"; shift 2 ;;
        --disk) disk="$2"; shift 2 ;;
        --kernel) kernel="$2"; shift 2 ;;
        --file) files="${files:+$files,}$2"; shift 2 ;;
        --) shift; break ;;
        *) break ;;
    esac
done
programs="${*:-hello}"
# GC_STRESS=1 (e.g. GC_STRESS=1 make test): every boot gets gc=stress, a collection at every
# trigger point, every 4th system call and every 16th object allocation (docs/gc.md). A test's own gc= option comes
# first on the command line and wins.
# User programs too: the programs' image is given from a directory named gc=stress-all (a
# link to it), which ExOS's first environment reads as gc=stress-all (a collection at every 64th
# object allocation and at every upcall, passed on to every program it spawns; a program's own
# gc= option wins): neither the kernel's name for the program nor the module count changes.
apps=out/apps.elf
[ "${GC_STRESS:-0}" = 1 ] && append="${append:+$append }gc=stress"
if [ "${GC_STRESS:-0}" = 1 ]; then
    mkdir -p "out/gc=stress-all" && ln -sf ../apps.elf "out/gc=stress-all/apps.elf" && apps="out/gc=stress-all/apps.elf"
fi

modules=""
IFS=',' read -ra list <<< "$programs"
# The kernel starts only the first program; with several, ExOS's init spawns them in turn.
[ ${#list[@]} -gt 1 ] && list=("init" "${list[@]}")
for p in "${list[@]}"; do
    p="$(echo "$p" | sed 's/^ *//; s/ *$//')"
    [ -n "$p" ] && modules="${modules:+$modules,}$apps $p"
done
# --file HOST[=NAME]: a data module "HOST file NAME" (NAME: HOST's base name), which no one
# runs: ExOS's BootModules.FindFile gives it to a program (the Linux library OS's binaries).
IFS=',' read -ra extra <<< "${files:-}"
for f in "${extra[@]}"; do
    [ -z "$f" ] && continue
    host="${f%%=*}"; name="${f#*=}"; [ "$name" = "$f" ] && name="$(basename "$host")"
    [ -f "$host" ] || { echo "run.sh: no file $host" >&2; exit 2; }
    modules="${modules:+$modules,}$host file $name"
done

qemu=(qemu-system-x86_64 -accel tcg -cpu max -smp 1 -m 256M
      -display none -monitor none -no-reboot
      -device isa-debug-exit,iobase=0xf4,iosize=0x04)
if [ "$serial" = stdio ]; then
    qemu+=(-chardev stdio,id=console,mux=on,signal=off -serial chardev:console)
else
    qemu+=(-serial "$serial")
fi
if [ "$iso" = 1 ]; then
    isofile="out/run-$$.iso"
    trap 'rm -f "$isofile"' EXIT
    tools/mkiso.sh "$isofile" "$programs" "$append" >/dev/null || exit 1
    qemu+=(-cdrom "$isofile")
else
    qemu+=(-kernel "$kernel" -initrd "$modules")
    [ -n "$append" ] && qemu+=(-append "$append")
fi
[ "$gdb" = 1 ] && qemu+=(-S -gdb tcp:127.0.0.1:1234)
case "$net" in
    none) ;;
    user:*) p="${net#user:}" fwd=""
            for proto in tcp udp; do
                fwd="$fwd,hostfwd=$proto:127.0.0.1:$p-10.0.2.15:7,hostfwd=$proto:127.0.0.1:$((p + 1))-10.0.2.15:9,hostfwd=$proto:127.0.0.1:$((p + 2))-10.0.2.15:19"
            done
            [ -n "$http" ] && fwd="$fwd,hostfwd=tcp:127.0.0.1:$http-10.0.2.15:80"
            qemu+=(-netdev "user,id=net0$fwd" -device virtio-net-pci,netdev=net0) ;;
    dgram:*:*) ports="${net#dgram:}"
               qemu+=(-netdev "dgram,id=net0,local.type=inet,local.host=127.0.0.1,local.port=${ports%%:*},remote.type=inet,remote.host=127.0.0.1,remote.port=${ports#*:}"
                      -device virtio-net-pci,netdev=net0) ;;
    *) echo "run: --net must be none, user:PORT or dgram:GUEST:HOST (got '$net')" >&2; exit 2 ;;
esac
[ -n "$disk" ] && qemu+=(-drive "file=$disk,if=none,id=disk0,format=raw" -device virtio-blk-pci,drive=disk0)
# shellcheck disable=SC2206
qemu+=(${QEMUFLAGS:-})

# The kernel prints code and type addresses raw: tools/symbolize.py names them on the way out
# (into FILE after the run, for --serial FILE).
names=(tools/symbolize.py "$kernel" out/apps.elf)
guest() { if [ "$timeout" != 0 ]; then timeout --foreground -k 2 "$timeout" "${qemu[@]}"; else "${qemu[@]}"; fi; }
if [ "$timeout" != 0 ] && [ "$stdin" = 0 ]; then
    guest </dev/null | "${names[@]}"
else
    guest | "${names[@]}"
fi
rc=${PIPESTATUS[0]}
if [ "$serial" != stdio ] && [ -f "${serial#file:}" ]; then
    "${names[@]}" <"${serial#file:}" >"${serial#file:}.named" && mv "${serial#file:}.named" "${serial#file:}"
fi
if [ $rc -eq 124 ]; then
    echo "run: timed out after ${timeout}s" >&2
    exit 124
fi
if [ $((rc % 2)) -eq 1 ]; then
    exit $(((rc - 1) / 2))
fi
[ $rc -ne 0 ] && echo "run: qemu failed with status $rc" >&2
exit $rc
