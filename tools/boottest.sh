#!/usr/bin/env bash
# The boot-test harness: boots the real image once per tests/Boot/*.test file and checks the
# serial output line by line. Test file directives (one per line, '#' starts a comment):
#   programs: name [args], name2 ...   boot modules to run, in order (tools/run.sh PROGRAMS)
#   append:   kernel command line      (optional)
#   iso:      yes                      boot from a GRUB ISO (tools/mkiso.sh) instead of -kernel
#   timeout:  seconds                  (default 30)
#   qemu:     flags                    extra QEMU flags (tools/run.sh's QEMUFLAGS), e.g. -icount shift=0
#   status:   N                        expected guest exit status (default 0)
#   expect:   text                     a line containing text; expects match distinct lines in
#                                      this order; " ... " in text stands for anything
#   contains: text                     some line, anywhere, contains text (any order)
#   forbid:   text                     no line may contain text ("kernel: PANIC" is always
#                                      forbidden unless the test expects it)
#   net:      user | dgram             a virtio-net card (tools/run.sh --net) on QEMU's user
#                                      network (host UDP port $HOST_PORT forwarded to the guest's
#                                      port 7) or carrying raw frames between the guest's card
#                                      ($GUEST_PORT) and the host ($HOST_PORT), ports picked per run
#   memory:   SIZE                     the guest's RAM (QEMU's -m, e.g. 512M; default 256M)
#   disk:     SIZE                     a virtio-blk disk: a fresh zeroed image of SIZE (truncate's
#                                      units, e.g. 16M) at $DISK (out/tests/<name>.img)
#   file:     HOST=NAME                a data module (tools/run.sh --file), for example a Linux
#                                      binary for `linux NAME` (tools/busybox.sh fetches out/linux/ first)
#   host:     command                  run by bash next to QEMU with $LOG (the serial log so far),
#                                      $GUEST_PORT, $HOST_PORT and $NETPEER (tools/netpeer, built);
#                                      its output is added to the log after QEMU ends, to be checked
# Prints "PASS boot/<name>" or "FAIL boot/<name>: why" plus the serial log, then
# "boot: N passed, M failed". usage: tools/boottest.sh [name...]  (default: all tests)
set -uo pipefail
cd "$(dirname "$0")/.."
results=out/tests
mkdir -p "$results"
grep -qs '^file: out/linux/' tests/Boot/*.test && { tools/busybox.sh >/dev/null || echo "boottest: could not fetch busybox-static" >&2; }
grep -qs '^file: out/linux/programs/' tests/Boot/*.test && { tools/linux-programs.sh >/dev/null || echo "boottest: could not build tests/Linux/programs" >&2; }

one() {
    local file="$1" name log programs append timeout status rc why=""
    name="$(basename "$file" .test)"
    log="$results/$name.log"
    field() { grep -E "^$1:" "$file" | sed -E "s/^$1:[ ]?//"; }
    programs="$(field programs | head -1)"
    append="$(field append | head -1)"
    local iso; iso="$(field iso | head -1)"
    timeout="$(field timeout | head -1)"; timeout="${timeout:-30}"
    local qemuflags; qemuflags="$(field qemu | head -1)"
    status="$(field status | head -1)"; status="${status:-0}"
    local net host hostpid="" netflag="" disk disksize
    net="$(field net | head -1)"
    host="$(field host | head -1)"
    disksize="$(field disk | head -1)"
    local memory; memory="$(field memory | head -1)"
    local files=() f
    while read -r f; do [ -n "$f" ] && files+=(--file "$f"); done < <(field file)
    export DISK="$results/$name.img"
    if [ -n "$disksize" ]; then rm -f "$DISK"; truncate -s "$disksize" "$DISK"; fi
    export LOG="$log" HOST_PORT=$((20000 + RANDOM % 20000)) GUEST_PORT=$((40000 + RANDOM % 20000)) NETPEER=out/netpeer
    case "$net" in
        user) netflag="user:$HOST_PORT" ;;
        dgram) netflag="dgram:$GUEST_PORT:$HOST_PORT" ;;
    esac
    : >"$log"
    if [ -n "$host" ]; then
        bash -c "$host" >"$results/$name.host" 2>&1 &
        hostpid=$!
    fi
    local start end
    start=$(date +%s.%N)
    QEMUFLAGS="${QEMUFLAGS:-}${memory:+ -m $memory}${qemuflags:+ $qemuflags}" tools/run.sh --timeout "$timeout" ${append:+--append "$append"} ${iso:+--iso} ${netflag:+--net "$netflag"} ${disksize:+--disk "$DISK"} "${files[@]}" "$programs" >"$log" 2>&1
    rc=$?
    if [ -n "$hostpid" ]; then
        ( sleep 15; kill "$hostpid" 2>/dev/null ) &
        local watchdog=$!
        wait "$hostpid"
        kill "$watchdog" 2>/dev/null
        cat "$results/$name.host" >>"$log"
    fi
    end=$(date +%s.%N)
    field expect >"$results/$name.expect"
    field forbid >"$results/$name.forbid"
    field contains >"$results/$name.contains"
    grep -qF "kernel: PANIC" "$results/$name.expect" || echo "kernel: PANIC" >>"$results/$name.forbid"
    why="$(awk -v expfile="$results/$name.expect" -v forfile="$results/$name.forbid" -v anyfile="$results/$name.contains" '
        BEGIN {
            n = 0; while ((getline line < expfile) > 0) if (line != "") want[n++] = line
            m = 0; while ((getline line < forfile) > 0) if (line != "") deny[m++] = line
            a = 0; while ((getline line < anyfile) > 0) if (line != "") { anyof[a++] = line; seen[a - 1] = 0 }
            next_exp = 0
        }
        function matches(line, pattern,    parts, k, count, at) {
            count = split(pattern, parts, " [.][.][.] ")
            for (k = 1; k <= count; k++) {
                at = index(line, parts[k])
                if (at == 0) return 0
                line = substr(line, at + length(parts[k]))
            }
            return 1
        }
        {
            for (i = 0; i < m; i++) if (index($0, deny[i]) > 0) { print "forbidden line: " $0; bad = 1; exit }
            if (next_exp < n && matches($0, want[next_exp])) next_exp++
            for (i = 0; i < a; i++) if (!seen[i] && matches($0, anyof[i])) seen[i] = 1
        }
        END {
            if (bad) exit
            if (next_exp < n) { print "missing line (in order): " want[next_exp]; exit }
            for (i = 0; i < a; i++) if (!seen[i]) { print "missing line: " anyof[i]; exit }
        }' "$log")" || why="harness error: awk failed"
    if [ -z "$why" ] && [ "$rc" != "$status" ]; then
        why="guest exit status $rc, expected $status"
        [ "$rc" = 124 ] && why="timed out after ${timeout}s"
    fi
    local secs
    secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
    if [ -z "$why" ]; then
        echo "PASS boot/$name (${secs}s)" >"$results/$name.result"
    else
        { echo "FAIL boot/$name: $why"; echo "---- serial log of boot/$name ----"; sed 's/^/| /' "$log"; echo "----"; } >"$results/$name.result"
    fi
}
export -f one
export results

if [ "${1:-}" = "--one" ]; then one "$2"; exit 0; fi
if [ $# -gt 0 ]; then files=(); for n in "$@"; do files+=("tests/Boot/$n.test"); done
else files=(tests/Boot/*.test); fi
rm -f "$results"/*.result
if grep -qs '^host:' "${files[@]}"; then
    gcc -O1 -Wall -o out/netpeer tools/netpeer/netpeer.c -lpcap || { echo "boot: tools/netpeer/netpeer.c does not build (libpcap-dev?)"; exit 1; }
fi
printf '%s\n' "${files[@]}" | xargs -P "$(nproc)" -I{} bash -c 'one "$1"' _ {}
passed=0 failed=0
for f in "${files[@]}"; do
    r="$results/$(basename "$f" .test).result"
    if [ -f "$r" ] && head -1 "$r" | grep -q '^PASS'; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
    if [ -f "$r" ]; then cat "$r"; else echo "FAIL boot/$(basename "$f" .test): no result"; fi
done
echo "boot: $passed passed, $failed failed"
[ "$failed" = 0 ]
