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
#                                      this order; " ... " in text stands for anything; \xNN is
#                                      that byte (also in contains and forbid)
#   contains: text                     some line, anywhere, contains text (any order)
#   forbid:   text                     no line may contain text ("kernel: PANIC" is always
#                                      forbidden unless the test expects it)
#   net:      user | dgram             a virtio-net card (tools/run.sh --net) on QEMU's user
#                                      network (host UDP port $HOST_PORT forwarded to the guest's
#                                      port 7) or carrying raw frames between the guest's card
#                                      ($GUEST_PORT) and the host ($HOST_PORT), ports picked per run;
#                                      on user, host TCP port $HTTP_PORT goes to the guest's port 80
#   memory:   SIZE                     the guest's RAM (QEMU's -m, e.g. 512M; default 256M)
#   disk:     SIZE                     a virtio-blk disk: a fresh zeroed image of SIZE (truncate's
#                                      units, e.g. 16M) at $DISK (out/tests/<name>.img)
#   file:     HOST=NAME                a data module (tools/run.sh --file), for example a Linux
#                                      binary for `linux NAME` (tools/busybox.sh fetches out/linux/ first)
#   input:    after=TEXT send=BYTES [repeat=N]
#                                      typed on the guest's serial (QEMU's stdin, a FIFO) once a
#                                      line of the log contains TEXT: BYTES with \n, \r, \xNN
#                                      escapes (printf %b), N times; input lines run in order.
#                                      0x01 is QEMU's mux escape (Ctrl-A): send \x01\x01 for one
#   root:     DIR                      the disk holds a C-FFS system volume made by tools/fsimage make
#                                      from a copy of host directory DIR (out/tests/<name>.root), of
#                                      disk:'s size in MiB when given (e.g. 32M)
#   rootfile: HOST=/PATH               a host file copied to /PATH in that tree (repeatable; with or
#                                      without root:), e.g. busybox for `linux /bin/busybox ...`
#   before:   command                  run by bash with $ROOT after the tree is copied and before the
#                                      image is made (e.g. gcc -static ... -o "$ROOT/bin/test")
#   after:    command                  run by bash after QEMU ends, with $DISK and $ROOT (the tree);
#                                      its output is added to the log, to be checked (e.g. tools/fsimage
#                                      list "$DISK": what the guest wrote, read on the host)
#   host:     command                  run by bash next to QEMU with $LOG (the serial log so far),
#                                      $GUEST_PORT, $HOST_PORT, $HTTP_PORT and $NETPEER (tools/netpeer, built);
#                                      its output is added to the log after QEMU ends, to be checked
# Prints "PASS boot/<name>" or "FAIL boot/<name>: why" plus the serial log, then
# "boot: N passed, M failed". usage: tools/boottest.sh [name...]  (default: all tests)
set -uo pipefail
cd "$(dirname "$0")/.."
results=out/tests
mkdir -p "$results"
grep -qsE '^(file|rootfile): out/linux/' tests/Boot/*.test && { tools/busybox.sh >/dev/null || echo "boottest: could not fetch busybox-static" >&2; }
grep -qsE '^(file|rootfile): out/linux/programs/' tests/Boot/*.test && { tools/linux-programs.sh >/dev/null || echo "boottest: could not build tests/Linux/programs" >&2; }

# Lines with \xNN escapes made bytes (expect, contains, forbid).
unescape() { perl -pe 's/\\x([0-9a-fA-F]{2})/chr(hex($1))/ge'; }

# The input directives on stdin, typed when their text shows in the log ($1); ends when done.
feed() {
    local line after send repeat i
    while IFS= read -r line; do
        [ -z "$line" ] && continue
        after="${line#after=}"; after="${after%% send=*}"
        send="${line#* send=}"; repeat=1
        case "$send" in *" repeat="*) repeat="${send##* repeat=}"; send="${send% repeat=*}" ;; esac
        after="$(printf '%b' "$after")"
        until grep -qaF -- "$after" "$1"; do sleep 0.1; done
        for ((i = 0; i < repeat; i++)); do printf '%b' "$send"; done
    done
}

one() {
    local file="$1" name log programs append timeout status rc why=""
    name="$(basename "$file" .test)"
    if [ ! -f "$file" ]; then echo "FAIL boot/$name: no such test ($file)" >"$results/$name.result"; return 0; fi
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
    local files=() f inputs feeder="" stdin=/dev/null
    inputs="$(field input)"
    while read -r f; do [ -n "$f" ] && files+=(--file "$f"); done < <(field file)
    export DISK="$results/$name.img"
    if [ -n "$disksize" ]; then rm -f "$DISK"; truncate -s "$disksize" "$DISK"; fi
    local rootdir after rootfiles=()
    rootdir="$(field root | head -1)"
    after="$(field after | head -1)"
    local before; before="$(field before | head -1)"
    while read -r f; do [ -n "$f" ] && rootfiles+=("$f"); done < <(field rootfile)
    export ROOT="$results/$name.root"
    if [ -n "$rootdir" ] || [ ${#rootfiles[@]} -gt 0 ]; then
        rm -rf "$ROOT" "$results/$name.fsimage"; mkdir -p "$ROOT"
        [ -n "$rootdir" ] && cp -a "$rootdir/." "$ROOT/"
        for f in "${rootfiles[@]}"; do
            mkdir -p "$ROOT/$(dirname "${f#*=}")" && cp "${f%%=*}" "$ROOT/${f#*=}"
        done
        [ -n "$before" ] && { bash -c "$before" >>"$results/$name.fsimage" 2>&1 || echo "boottest: before: failed" >>"$results/$name.fsimage"; }
        rm -f "$DISK"
        tools/fsimage make "$DISK" "$ROOT" ${disksize:+${disksize%M}} >>"$results/$name.fsimage" 2>&1 || echo "boottest: tools/fsimage make failed" >>"$results/$name.fsimage"
        disksize="${disksize:-image}"
    fi
    export LOG="$log" HOST_PORT=$((20000 + RANDOM % 20000)) GUEST_PORT=$((40000 + RANDOM % 20000)) NETPEER=out/netpeer
    export HTTP_PORT=$((HOST_PORT + 3))
    case "$net" in
        user) netflag="user:$HOST_PORT" ;;
        dgram) netflag="dgram:$GUEST_PORT:$HOST_PORT" ;;
    esac
    : >"$log"
    if [ -n "$host" ]; then
        bash -c "$host" >"$results/$name.host" 2>&1 &
        hostpid=$!
    fi
    if [ -n "$inputs" ]; then
        stdin="$results/$name.in"
        rm -f "$stdin"; mkfifo "$stdin"
        feed "$log" <<<"$inputs" >"$stdin" &
        feeder=$!
    fi
    local start end
    start=$(date +%s.%N)
    QEMUFLAGS="${QEMUFLAGS:-}${memory:+ -m $memory}${qemuflags:+ $qemuflags}" tools/run.sh --timeout "$timeout" ${inputs:+--stdin} ${append:+--append "$append"} ${iso:+--iso} ${netflag:+--net "$netflag"} ${netflag:+--http "$HTTP_PORT"} ${disksize:+--disk "$DISK"} "${files[@]}" "$programs" <"$stdin" >"$log" 2>&1
    rc=$?
    if [ -n "$feeder" ]; then
        kill "$feeder" 2>/dev/null; wait "$feeder" 2>/dev/null
        rm -f "$stdin"
    fi
    if [ -n "$hostpid" ]; then
        ( sleep 15; kill "$hostpid" 2>/dev/null ) &
        local watchdog=$!
        wait "$hostpid"
        kill "$watchdog" 2>/dev/null
        cat "$results/$name.host" >>"$log"
    fi
    [ -s "$results/$name.fsimage" ] && [ -d "$ROOT" ] && sed 's/^/fsimage: /' "$results/$name.fsimage" >>"$log"
    [ -n "$after" ] && bash -c "$after" >>"$log" 2>&1
    end=$(date +%s.%N)
    field expect | unescape >"$results/$name.expect"
    field forbid | unescape >"$results/$name.forbid"
    field contains | unescape >"$results/$name.contains"
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
export -f one unescape feed
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
