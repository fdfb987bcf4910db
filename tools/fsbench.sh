#!/usr/bin/env bash
# The file-system benchmarks alone (make bench runs them through tools/bench.sh): ExOS's C-FFS on XN
# (src/Apps/Bench/FsBenchmarks.cs, the `fsbench` program) against ext4 on the Linux peer
# (src/Bench/Linux/fsbench.c as /init of tools/peer.sh's initramfs), each on a fresh raw disk image
# of the same size behind the same virtio-blk device in the same QEMU (-accel tcg -cpu max -smp 1
# -m 256M). ext4 is made on the host by Debian's mkfs.ext4 (e2fsprogs, version checked below) with
# -b 4096 -E lazy_itable_init=0,lazy_journal_init=0. Runs once under -icount shift=0 (busy guest
# instructions: each side takes out its own idle time) and once on the wall clock (plain TCG,
# emulated TSC ticks), unless MODES says otherwise.
# usage: tools/fsbench.sh [PHASES]   PHASES default "small 1000 fsync 1000 small 10000 seq 256"
#   MODES="icount wall" (default), DISK_MIB=512 (default), KERNEL=out/kernel-bench.elf (default
#   out/kernel.elf when that is missing). Writes out/bench/fs-{exosharp,linux}-{icount,wall}.txt
#   and out/bench/fs.table (name, ExoSharp busy, Linux busy, ratio, ExoSharp wall, Linux wall,
#   wall ratio), prints the BENCH lines (ratio: Linux / ExoSharp, how many times ExoSharp is better).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = --describe ]; then   # the paragraph docs/benchmarks.md prints above the table
    info="$(cat out/bench/fs.info 2>/dev/null || echo "fsbench: no run yet")"
    cat <<EOF
Written by \`tools/fsbench.sh\` (also run alone: \`tools/fsbench.sh [PHASES]\`); ${info#fsbench: }. Both sides
on a fresh raw image of the same size behind virtio-blk in the same QEMU. ExoSharp: the \`fsbench\` program
(\`src/Apps/Bench/FsBenchmarks.cs\`), ExOS's POSIX calls over C-FFS on XN directly (no Linux ABI); Linux:
\`src/Bench/Linux/fsbench.c\` as /init, ext4 made on the host by \`mkfs.ext4 -b 4096 -E
lazy_itable_init=0,lazy_journal_init=0\`, mounted with the defaults (data=ordered). small N: N files of
1 KB in 10 directories (create, read, delete; the C-FFS and LFS small-file benchmark); fsync N: the
same with an fsync per file; seq: one file in 64 KiB writes and reads. Every phase ends in a sync and its time includes it; a cold read follows a
sync and an emptied cache (ExOS: \`DropCache\`, every clean block evicted, the library's block copies and name index dropped; Linux: drop_caches 3);
_warm repeats it at once. _fsync: an fsync after each file written (create), after each unlink (of
its directory: delete), or every MiB (seq). Busy instructions: \`-icount shift=0\`, the time-stamp
counter across the phase less each side's own idle time (ExoSharp: the kernel's idle-loop cycles,
\`ClockRecord.IdleCycles\`; Linux: idle and iowait sleep time from /proc/timer_list). Wall: plain
TCG, TSC ticks across the phase, idle included. ExOS's sync sends no cache-flush command to the
device (the kernel's virtio-blk driver has none); ext4's fsync and sync do, and QEMU turns each into a
host fdatasync: that is idle time, out of the instruction counts, but in the wall clock of the _fsync rows.
EOF
    exit 0
fi
phases="${1:-small 1000 fsync 1000 small 10000 seq 256}"
modes="${MODES:-icount wall}"
disk_mib="${DISK_MIB:-512}"
kernel="${KERNEL:-out/kernel-bench.elf}"
[ -f "$kernel" ] || kernel=out/kernel.elf
e2fs_expected=1.47.0
work=out/bench
mkdir -p "$work"

e2fs="$(mkfs.ext4 -V 2>&1 | sed -n 's/^mke2fs \([0-9.]*\).*/\1/p')"
[ -n "$e2fs" ] || { echo "fsbench: no mkfs.ext4 (apt-get install e2fsprogs)" >&2; exit 1; }
[ "$e2fs" = "$e2fs_expected" ] || echo "fsbench: mkfs.ext4 is $e2fs, the numbers in docs were taken with $e2fs_expected" >&2

vmlinuz="$(tools/peer.sh kernel)"
root="$work/fs-peer-root"
rm -rf "$root"; mkdir -p "$root"
gcc -O2 -static -o "$root/init" src/Bench/Linux/fsbench.c
tools/peer.sh initrd "$root" "$work/fs-initrd.cpio"

exosharp() { # $1: mode
    local image="$work/fs-exosharp.img" flags=""
    [ "$1" = icount ] && flags="-icount shift=0"
    rm -f "$image"; truncate -s "${disk_mib}M" "$image"
    QEMUFLAGS="$flags" tools/run.sh --timeout 1800 --kernel "$kernel" --disk "$image" "fsbench $phases" \
        > "$work/fs-exosharp-$1.log" 2>&1 || true
    grep -E '^BENCH|WRONG' "$work/fs-exosharp-$1.log" | tr -d '\r' > "$work/fs-exosharp-$1.txt" || true
    rm -f "$image"
}

linux() { # $1: mode
    local image="$work/fs-ext4.img" flags=""
    [ "$1" = icount ] && flags="-icount shift=0"
    rm -f "$image"; truncate -s "${disk_mib}M" "$image"
    mkfs.ext4 -q -F -b 4096 -E lazy_itable_init=0,lazy_journal_init=0 "$image"
    # shellcheck disable=SC2086
    timeout 1800 qemu-system-x86_64 -accel tcg -cpu max -smp 1 -m 256M -display none -monitor none -no-reboot $flags \
        -serial stdio -kernel "$vmlinuz" -initrd "$work/fs-initrd.cpio" \
        -drive "file=$image,if=none,id=disk0,format=raw" -device virtio-blk-pci,drive=disk0 \
        -append "console=ttyS0 quiet panic=-1 -- $phases" </dev/null > "$work/fs-linux-$1.log" 2>&1 || true
    grep -E '^BENCH|WRONG' "$work/fs-linux-$1.log" | tr -d '\r' > "$work/fs-linux-$1.txt" || true
    rm -f "$image"
}

rm -f "$work"/fs-{exosharp,linux}-{icount,wall}.txt     # no numbers from an earlier run's other mode
for mode in $modes; do
    exosharp "$mode"
    linux "$mode"
done
for f in "$work"/fs-{exosharp,linux}-{icount,wall}.txt; do
    case " $modes " in *" $(basename "$f" .txt | sed 's/.*-//') "*) ;; *) continue ;; esac
    if grep -q WRONG "$f" || ! grep -q 'BENCH done' "$f"; then
        echo "fsbench: the run for $f did not finish cleanly (log: ${f%.txt}.log):" >&2
        grep WRONG "$f" >&2 || tail -20 "${f%.txt}.log" >&2
        exit 1
    fi
done

value() { [ -f "$1" ] && sed -n "s/^BENCH $2 .*$3=\([0-9]*\).*/\1/p" "$1" | head -1 || true; }
ratio() { [ -n "$1" ] && [ -n "$2" ] && awk -v e="$1" -v l="$2" 'BEGIN { printf "%.2f", (e > 0 ? l / e : 0) }' || echo -; }
names="$(sed -n 's/^BENCH \(fs_[a-z0-9_]*\) .*/\1/p' "$work/fs-exosharp-$(echo "$modes" | cut -d' ' -f1).txt")"
: > "$work/fs.table"
for name in $names; do
    ei=$(value "$work/fs-exosharp-icount.txt" "$name" busy); li=$(value "$work/fs-linux-icount.txt" "$name" busy)
    ew=$(value "$work/fs-exosharp-wall.txt" "$name" total); lw=$(value "$work/fs-linux-wall.txt" "$name" total)
    echo "$name ${ei:--} ${li:--} $(ratio "$ei" "$li") ${ew:--} ${lw:--} $(ratio "$ew" "$lw")" >> "$work/fs.table"
    [ -n "$ei" ] && [ -n "$li" ] && echo "BENCH $name exosharp=$ei linux=$li unit=instructions ratio=$(ratio "$ei" "$li") wall_exosharp=${ew:--} wall_linux=${lw:--} wall_ratio=$(ratio "$ew" "$lw")"
done
echo "fsbench: mkfs.ext4 $e2fs, disk ${disk_mib} MiB, phases: $phases" > "$work/fs.info"
exit 0
