#!/usr/bin/env bash
# Disk tests that need more than one boot of the same disk image (make test runs them):
#   persistence  boot `files` (make, write, delete, sync), then boot `files check` on the same
#                disk: the files read back as written.
#   two-layouts  ExOS's file system and the extent log (src/Apps/Disk/Extents.cs) on one disk,
#                booted twice: both read back, the log grown by the second boot.
#   corrupt      the persistence disk with a second directory entry pointing at an existing file's
#                inode, written into the image from the host: the mount must report the doubly
#                owned block (so the crash checks below can fail).
#   crash-N      boot `files stress` and kill QEMU (SIGKILL) in the middle of its metadata writes,
#                after a different round each time; boot `files verify` on the disk: XN's mount
#                must find it consistent (no pointer to an uninitialised or doubly owned block)
#                and every file's blocks must hold what was written or zeros. The kill must land
#                mid-run: the stress run never ended, and from the round watched for to the kill
#                blocks were dirty or being written (each round's line says how many, with XN's
#                write count).
#   cffs-host    boot `cffs` (C-FFS in the guest), then check and extract its disk on the host with
#                tools/fsimage (the same code built for the host) and compare the bytes; reboot `cffs check`.
#   cffs-root    a host tree made into an image by tools/fsimage, listed and hashed by the guest.
#   cffs-crash   N power cuts chained on one disk (default 50): boot `cffs cycle L`, kill QEMU in the
#                middle of its rounds, check the image on the host; the next boot checks the cut in
#                the guest (every synced file exact under exactly one name, directories moved whole).
# Prints "PASS disk/<name>" or "FAIL disk/<name>: why" (with the serial log), then
# "disk: N passed, M failed". usage: tools/disktest.sh [crash points, default 10 [C-FFS crash points, default 50]]
set -uo pipefail
cd "$(dirname "$0")/.."
points="${1:-10}"
cffs_points="${2:-50}"
work=out/tests/disk
mkdir -p "$work"
passed=0 failed=0
pass() { echo "PASS disk/$1"; passed=$((passed + 1)); }
fail() { echo "FAIL disk/$1: $2"; shift 2; for f in "$@"; do echo "---- $f ----"; sed 's/^/| /' "$f"; done; failed=$((failed + 1)); }

# boot NAME IMAGE PROGRAM: one boot to the end; the serial log is $work/NAME.log.
boot() { tools/run.sh --timeout 120 --disk "$2" "$3" >"$work/$1.log" 2>&1; }

image="$work/persistence.img"
rm -f "$image"; truncate -s 16M "$image"
if ! boot persistence-1 "$image" files || ! grep -q "files: sync -> 0 ok" "$work/persistence-1.log"; then
    fail persistence "the first boot failed" "$work/persistence-1.log"
elif ! boot persistence-2 "$image" "files check" || ! grep -q "kernel: xn: mounted .* 15 blocks reachable: consistent" "$work/persistence-2.log" ||
     grep -q "WRONG" "$work/persistence-2.log"; then
    fail persistence "the files did not read back after a reboot" "$work/persistence-2.log"
else
    pass persistence
fi

# Two layouts on one disk, across a reboot: ExOS's file system and the extent log.
image="$work/two.img"
rm -f "$image"; truncate -s 16M "$image"
if boot two-1 "$image" "files,extents" && boot two-2 "$image" "files check,extents" &&
   grep -q "extents: the log holds 6 extents, 36 blocks, one owns record each; read back from the disk: as written" "$work/two-2.log" &&
   grep -q "files: read pattern.bin back -> 40000 ok" "$work/two-2.log" && ! grep -q "WRONG" "$work/two-1.log" "$work/two-2.log"; then
    pass "two-layouts (ExOS's file system and the extent log, rebooted)"
else
    fail two-layouts "the two file systems did not both survive a reboot" "$work/two-1.log" "$work/two-2.log"
fi

# A block named twice on disk: entry 5 of the directory (block 32) gets entry 0's inode pointer.
image="$work/persistence.img"
inode="$(od -An -tu4 -j $((32 * 4096 + 52)) -N4 "$image" | tr -d ' ')"
printf "$(printf '\\x%02x\\x%02x\\x%02x\\x%02x' $((inode & 255)) $((inode >> 8 & 255)) $((inode >> 16 & 255)) $((inode >> 24)))" |
    dd of="$image" bs=1 seek=$((32 * 4096 + 5 * 64 + 52)) conv=notrunc status=none
boot corrupt "$image" "files check"
if grep -q "kernel: xn: mount problem: error 20 at block $inode, named by block 32" "$work/corrupt.log" &&
   grep -q "kernel: xn: mounted .* PROBLEMS" "$work/corrupt.log"; then
    pass "corrupt (inode $inode named twice: reported)"
else
    fail corrupt "the mount did not report block $inode named twice" "$work/corrupt.log"
fi

# C-FFS: what the guest wrote, read back by the host's own build of the file system (tools/fsimage),
# trusting nothing the guest printed; then a reboot reads it back in the guest.
image="$work/cffs.img"
rm -f "$image"; truncate -s 32M "$image"
if ! boot cffs-1 "$image" cffs || ! grep -q "cffs: all checks passed" "$work/cffs-1.log"; then
    fail cffs-host "the guest's run failed" "$work/cffs-1.log"
elif ! tools/fsimage check "$image" >"$work/cffs-check.log" 2>&1; then
    fail cffs-host "tools/fsimage check found problems on the guest's disk" "$work/cffs-check.log"
elif ! { rm -rf "$work/cffs-out" && tools/fsimage extract "$image" "$work/cffs-out" &&
         python3 tools/cffs-pattern.py "$work/cffs-out"; } >"$work/cffs-extract.log" 2>&1; then
    fail cffs-host "the host read something else than the guest wrote" "$work/cffs-extract.log"
elif ! boot cffs-2 "$image" "cffs check" || ! grep -q "cffs: all checks passed" "$work/cffs-2.log"; then
    fail cffs-host "the files did not read back after a reboot" "$work/cffs-2.log"
else
    pass "cffs-host (the guest's files checked and read by tools/fsimage: $(tail -1 "$work/cffs-extract.log"); read again after a reboot)"
fi

# C-FFS from the host: a tree made into an image by tools/fsimage (what make run ROOT=<dir> does),
# listed by the guest with a hash of every file's bytes, compared with the host's.
tree="$work/root-tree"
rm -rf "$tree"; mkdir -p "$tree/etc" "$tree/srv/www/img"
echo "exosharp" >"$tree/etc/hostname"
head -c 150000 /dev/urandom >"$tree/srv/www/img/photo.bin"
for i in $(seq 1 30); do head -c $((i * 97)) /dev/urandom >"$tree/srv/www/page$i.html"; done
ln -s www/page1.html "$tree/srv/index.html"
image="$work/root.img"
if ! tools/fsimage make "$image" "$tree" >"$work/root-make.log" 2>&1; then
    fail cffs-root "tools/fsimage make failed" "$work/root-make.log"
elif ! boot cffs-root "$image" "cffs ls" || ! python3 tools/cffs-pattern.py --compare "$tree" "$work/cffs-root.log" >"$work/root-compare.log" 2>&1; then
    fail cffs-root "the guest did not see the host's tree" "$work/cffs-root.log" "$work/root-compare.log"
else
    pass "cffs-root (a host tree made by tools/fsimage, read by the guest: $(tail -1 "$work/root-compare.log"))"
fi

# C-FFS power cuts, chained on one disk: boot `cffs cycle L` (it checks what the previous cut left,
# then carries on from round L + 1), kill QEMU (SIGKILL) at a varying moment of its workload (writes,
# fsync, renames within and across directories, directory moves, rmdir, unlink), check the image on
# the host (tools/fsimage check), boot again with the last round the killed run printed. The guest's
# check of each cut is in the next boot; the last cut gets a boot of its own (`cffs cycle L 0`).
image="$work/cffs-crash.img"
rm -f "$image"; truncate -s 32M "$image"
last=-1 cut_failures=0 rounds_done=0
# power_cut LEADER: the power cut: QEMU alone is killed (SIGKILL), so what the guest printed
# before it still drains through tools/run.sh's console pipe (tools/symbolize.py) into the log
# (killing the whole group at once lost the last lines still in the pipe: the log then named an
# earlier round than the disk held); then the rest of the group, and a wait until none of it is
# left (the image is free again).
power_cut() {
    pkill -9 -g "$1" -f '^qemu-system-x86_64 ' 2>/dev/null
    for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.05; done
    kill -9 -- "-$1" 2>/dev/null
    wait "$1" 2>/dev/null
    for _ in $(seq 1 100); do pgrep -g "$1" >/dev/null 2>&1 || break; sleep 0.05; done
}
# cut LOG DELAY: boots `cffs cycle $last`, waits for its first new round (the previous cut's check is
# done by then), DELAY seconds more, then cuts the power.
cut() {
    setsid tools/run.sh --disk "$image" "cffs cycle $last" >"$1" 2>&1 &
    local leader=$!
    for _ in $(seq 1 1200); do
        grep -q "cffs: stress round $((last + 1))\$" "$1" 2>/dev/null && break
        kill -0 "$leader" 2>/dev/null || break
        sleep 0.05
    done
    sleep "$2"
    power_cut "$leader"
}
for k in $(seq 1 "$cffs_points"); do
    log="$work/cffs-crash-$k.log"
    delay="0.$(printf '%03d' $(( (k * 137) % 400 )))"
    cut "$log" "$delay"
    if [ ! -s "$log" ]; then     # seen about once in 100 cuts, cause unknown: tried again
        echo "disktest: cffs-crash-$k: the boot printed nothing (QEMU did not start); once more" >&2
        cut "$log" "$delay"
    fi
    if grep -q "WRONG\|PANIC\|mount problem" "$log" || { [ "$last" -ge 0 ] && ! grep -q "cffs: cycle verify after round $last: .* each under one name" "$log"; } ||
       ! grep -q "kernel: xn: mounted .* consistent" "$log"; then
        fail "cffs-crash-$k" "the disk the cut after round $last left did not check out in the guest" "$log"
        cut_failures=$((cut_failures + 1)); break
    fi
    # Complete lines only: the kill can cut the last line short ("stress round 15" of 1510).
    now="$( { if [ -n "$(tail -c1 "$log")" ]; then sed '$d' "$log"; else cat "$log"; fi; } |
        grep -o 'cffs: stress round [0-9]*$' | tail -1 | grep -o '[0-9]*$')"
    if [ -z "$now" ] || [ "$now" -le "$last" ]; then
        fail "cffs-crash-$k" "the run after round $last made no progress before the kill" "$log"
        cut_failures=$((cut_failures + 1)); break
    fi
    if ! tools/fsimage check "$image" >"$work/cffs-crash-$k-check.log" 2>&1; then
        fail "cffs-crash-$k" "tools/fsimage check: inconsistent after a kill after round $now" "$log" "$work/cffs-crash-$k-check.log"
        cut_failures=$((cut_failures + 1)); break
    fi
    rounds_done=$((rounds_done + now - last))
    last=$now
done
if [ "$cut_failures" = 0 ]; then
    boot cffs-crash-final "$image" "cffs cycle $last 0"
    v="$work/cffs-crash-final.log"
    if ! grep -q "kernel: xn: mounted .* consistent" "$v" || grep -q "mount problem\|WRONG\|PANIC" "$v" ||
       ! grep -q "cffs: cycle verify after round $last: .* each under one name" "$v"; then
        fail "cffs-crash-final" "the last cut (after round $last) did not check out" "$v"
    else
        pass "cffs-crash ($cffs_points power cuts on one disk over $rounds_done rounds; each checked by tools/fsimage and by the next boot: $(grep -o 'cycle verify after round [0-9]*: [0-9]* synced files exact, [0-9]* moved directories in place' "$v"))"
    fi
fi

image="$work/crash.img"
rm -f "$image"; truncate -s 16M "$image"
boot crash-setup "$image" files || fail crash-setup "could not make the file system" "$work/crash-setup.log"
for k in $(seq 1 "$points"); do
    round=$((2 + (k * 7) % 23))                     # kill after this stress round ...
    delay=$(( (k * 37) % 100 ))                     # ... plus this many milliseconds
    log="$work/crash-$k-stress.log"
    setsid tools/run.sh --disk "$image" "files stress 1000" >"$log" 2>&1 &
    leader=$!
    for _ in $(seq 1 2400); do                  # up to 2 minutes (a loaded machine boots slowly)
        grep -q "files: stress round $round:" "$log" 2>/dev/null && break
        kill -0 "$leader" 2>/dev/null || break
        sleep 0.05
    done
    sleep "0.$(printf '%03d' "$delay")"
    power_cut "$leader"
    last="$(grep -o 'stress round [0-9]*: [0-9]* writes, [0-9]* unwritten' "$log" | tail -1)"
    if ! grep -q "files: stress round $round:" "$log"; then
        fail "crash-$k" "the stress run never reached round $round" "$log"
        continue
    fi
    if grep -q "exited with status\|powering off" "$log"; then
        fail "crash-$k" "the kill landed after the stress run ended" "$log"
        continue
    fi
    # From the round watched for to the kill: some block dirty or being written.
    if ! awk -v r="$round" '/^files: stress round [0-9]+: / { n = $4 + 0; if (n >= r && $7 + 0 > 0) found = 1 } END { exit !found }' "$log"; then
        fail "crash-$k" "no block was dirty or being written from round $round to the kill" "$log"
        continue
    fi
    boot "crash-$k-verify" "$image" "files verify"
    rc=$?
    v="$work/crash-$k-verify.log"
    if [ "$rc" != 0 ] || ! grep -q "kernel: xn: mounted .* consistent" "$v" || grep -q "mount problem\|WRONG\|PANIC" "$v" ||
       ! grep -q "files: verify: .* every block as written or zeros" "$v"; then
        fail "crash-$k" "inconsistent after a kill at $last (+${delay} ms)" "$log" "$v"
    else
        pass "crash-$k (killed mid-run at $last, +${delay} ms; $(grep -o 'verify: [0-9]* files' "$v"))"
    fi
done
echo "disk: $passed passed, $failed failed"
[ "$failed" = 0 ]
