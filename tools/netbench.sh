#!/usr/bin/env bash
# make bench's network part (tools/bench.sh runs it; it also runs alone): ExoSharp's TCP/IP
# stack (src/LibOS/Net) against Linux's, each as the near end of a guest-to-guest wire
# (tools/wire.sh) whose far end is the Linux peer running `wirepeer rrserver` at 10.0.2.16.
#   tcp_rr:  one connection, RR 1-byte requests and 1-byte replies (TCP_NODELAY both ends)
#   tcp_crr: CRR times connect, one 1-byte request and reply, close (the near end closes first)
# The ExoSharp near end is src/Apps/Net/WireClient.cs ("wire"), the Linux one
# src/Bench/Linux/wirepeer.c, the same work. Each runs once on the wall clock and once under
# -icount shift=0 (the far end always on the wall clock), where busy guest instructions per
# operation are the near end's elapsed time minus its idle time by its own accounting:
# ExoSharp's idle loop (wire's "spin": the program polls its ring in a counted loop instead of
# halting, the loop's cost per turn measured at start), Linux's /proc/stat idle and iowait.
#   tcp_bulk_host: 64 MiB over one connection between the host and the guest through QEMU's
# user network (libslirp), both directions: the host sends to the guest's discard service
# (inet's, with 256 KiB buffers; wirepeer sink on Linux) and reads from its chargen (inet's;
# wirepeer chargen, the same per-byte computation), timed by the host; QEMU's CPU time (all its threads, and its
# busiest thread) beside it. Plain TCG, no -icount.
# Writes out/bench/net.bench (BENCH lines in CONTRACTS.md's format) and prints it; `table`
# prints docs/benchmarks.md's network section from the last run (tools/bench.sh adds it).
# usage: tools/netbench.sh [all|wire|exosharp|bulk|table] [RR CRR]   (defaults: all, 10000 and 1000); wire
# or bulk alone keeps the other part's lines from the last run in out/bench/net.raw; exosharp runs
# only ExoSharp's near end of tcp_rr and tcp_crr (wall, icount, blocked) and keeps Linux's lines.
set -euo pipefail
cd "$(dirname "$0")/.."
part=${1:-all} rr=${2:-10000} crr=${3:-1000}
mkdir -p out/bench out/wire
raw=out/bench/net.raw
touch "$raw"

table() {
    local b=out/bench/net.bench
    [ -s "$b" ] || { echo "netbench: no run yet (tools/netbench.sh)" >&2; exit 1; }
    key() { grep "^BENCH $1 " "$b" | sed -nE "s/.* $2=([^ ]+).*/\1/p"; }
    raw_key() { grep "^$1 " "$raw" | sed -nE "s/.* $2=([^ ]+).*/\1/p" | head -1; }
    echo "## Network: ExOS's TCP/IP stack against Linux's"
    echo
    echo "\`tools/netbench.sh\` (docs/network.md, \"Benchmarks\"), tcp_rr and tcp_crr run at commit \`$(sed -n 's/^COMMIT wire //p' "$raw")\`, tcp_bulk_host at \`$(sed -n 's/^COMMIT bulk //p' "$raw")\`. tcp_rr: one connection, $(key tcp_rr n) 1-byte"
    echo "requests and replies; tcp_crr: $(key tcp_crr n) times connect, one 1-byte request and reply, close. The far"
    echo "end is the Linux peer (\`wirepeer rrserver\`) on a guest-to-guest wire (QEMU's dgram netdev);"
    echo "the near end is ExoSharp (\`wire\`, src/Apps/Net/WireClient.cs) or Linux (\`wirepeer rr|crr\`),"
    echo "the same work. Instructions: busy guest instructions of the near end per operation under"
    echo "-icount shift=0, its idle time taken out by its own accounting (ExoSharp: its idle loop's"
    echo "turns times their measured cost; Linux: /proc/stat idle and iowait). Wall clock: plain TCG on"
    echo "a shared 2-core machine (load average $(grep -h -o 'load=[0-9.]*' "$raw" | cut -d= -f2 | sort -n | sed -n '1p;$p' | paste -sd- -) during the runs): noisy."
    echo
    echo "| operation | ExoSharp | Linux | ratio (times better) | notes |"
    echo "|---|---:|---:|---:|---|"
    for op in tcp_rr tcp_crr; do
        echo "| ${op}_instructions | $(key ${op}_instructions exosharp) | $(key ${op}_instructions linux) | $(key ${op}_instructions ratio) |" \
             "ExoSharp with idle = time blocked in its wait (the kernel's wake-up work counted idle): $(key ${op}_instructions exosharp_idle_blocked) |"
    done
    for op in tcp_rr tcp_crr; do
        echo "| $op (ns per operation) | $(key $op exosharp) | $(key $op linux) | $(key $op ratio) | wall clock |"
    done
    for d in from_guest to_guest; do
        local n=tcp_bulk_host what="guest to host"; [ "$d" = to_guest ] && n=tcp_bulk_host_rx what="host to guest"
        echo "| $n, $what (MB/s) | $(key $n exosharp) | $(key $n linux) | $(key $n ratio) |" \
             "QEMU CPU s (busiest thread): ExoSharp $(key $n qemu_cpu_s_exosharp) ($(key $n qemu_top_thread_s_exosharp)), Linux $(key $n qemu_cpu_s_linux) ($(key $n qemu_top_thread_s_linux)); runs: ExoSharp $(raw_key "BULK exosharp $d" all_mbps), Linux $(raw_key "BULK linux $d" all_mbps) |"
    done
    echo
    echo "tcp_bulk_host: 64 MiB over one connection between the host and the guest through QEMU's user"
    echo "network (libslirp's TCP inside QEMU), to the guest's discard service and from its chargen"
    echo "(the same per-byte RFC 864 computation on both), timed by the host, best of three; QEMU's"
    echo "CPU time is its process's (all threads) during the best run, the busiest thread beside it."
}

case "$part" in
    table) table; exit 0 ;;
esac
case "$part" in
    all) : > "$raw" ;;
    wire) sed -i '/^NEAR /d' "$raw" ;;
    exosharp) sed -i '/^NEAR exosharp /d' "$raw" ;;
    bulk) sed -i '/^BULK /d' "$raw" ;;
    *) echo "usage: tools/netbench.sh [all|wire|exosharp|bulk] [RR CRR]" >&2; exit 2 ;;
esac
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet -- src tools 2>/dev/null || echo ' with uncommitted changes')"
if [ "$part" = exosharp ]; then
    old=$(sed -n 's/^COMMIT wire //p' "$raw")
    case "$old" in *"(Linux's rows from "*) old=${old#*"(Linux's rows from "}; old=${old%)} ;; esac
    sed -i "/^COMMIT wire /d" "$raw"; echo "COMMIT wire $commit (Linux's rows from ${old:-an earlier run})" >> "$raw"
fi
for p in wire bulk; do
    [ "$part" = all ] || [ "$part" = $p ] && { sed -i "/^COMMIT $p /d" "$raw"; echo "COMMIT $p $commit" >> "$raw"; }
done
[ -f out/apps.elf ] || { echo "netbench: build first (make all)" >&2; exit 1; }

if [ "$part" != bulk ]; then
far_port=$((20000 + RANDOM % 20000)); near_port=$((far_port + 1))
far_log=out/wire/far.log far_pid=out/wire/far.pid
rm -f "$far_pid"
PEER_PIDFILE=$far_pid tools/wire.sh peer 10.0.2.16 57 "$far_port" "$near_port" - "echo peer: serving; wirepeer rrserver 7" > "$far_log" 2>&1 &
far_job=$!
stop_far() { [ -f "$far_pid" ] && kill "$(cat "$far_pid")" 2>/dev/null; wait "$far_job" 2>/dev/null || true; }
trap stop_far EXIT
for _ in $(seq 300); do grep -q '^peer: serving' "$far_log" && break; sleep 0.5; done
grep -q '^peer: serving' "$far_log" || { echo "netbench: the far end did not come up:" >&2; cat "$far_log" >&2; exit 1; }

exosharp_near() { # $1: rr|crr, $2: N, $3: clock (wall|icount|blocked: icount, idle = time blocked in the wait)
    local flags="" spin=""
    [ "$3" = icount ] && flags="-icount shift=0" spin=spin
    [ "$3" = blocked ] && flags="-icount shift=0"
    QEMUFLAGS="$flags" tools/run.sh --timeout 900 --net "dgram:$near_port:$far_port" "wire $1 10.0.2.16 7 $2 $spin" |
        tr -d '\r' | grep '^BENCH' | sed "s/^BENCH /NEAR exosharp $3 /; s/\$/ load=$(cut -d' ' -f1 /proc/loadavg)/" || true
}
linux_near() { # $1: clock
    local flags=()
    [ "$1" = icount ] && flags=(-icount shift=0)
    tools/wire.sh peer 10.0.2.15 58 "$near_port" "$far_port" - "wirepeer rr 10.0.2.16 7 $rr; wirepeer crr 10.0.2.16 7 $crr" "${flags[@]}" |
        grep '^BENCH' | sed "s/^BENCH /NEAR linux $1 /; s/\$/ load=$(cut -d' ' -f1 /proc/loadavg)/" || true
}
for clock in wall icount; do
    exosharp_near rr "$rr" "$clock" >> "$raw"
    exosharp_near crr "$crr" "$clock" >> "$raw"
    [ "$part" = exosharp ] || linux_near "$clock" >> "$raw"
done
exosharp_near rr "$rr" blocked >> "$raw"
exosharp_near crr "$crr" blocked >> "$raw"
stop_far
trap - EXIT
fi

# Bulk through the user network: the host's side, timed; $1: guest's serial log, $2: QEMU's
# pid file, $3: ready text, $4: discard port, $5: chargen port, $6: system name.
bulk() {
    python3 - "$@" <<'PY'
import os, socket, sys, time
log, pidfile, ready, discard, chargen, name = sys.argv[1:7]
size = 64 << 20
deadline = time.time() + 300
while time.time() < deadline:
    if os.path.exists(log) and ready in open(log, errors='replace').read() and os.path.exists(pidfile): break
    time.sleep(0.2)
else:
    print('netbench: %s never became ready' % name, file=sys.stderr); sys.exit(1)
pid = int(open(pidfile).read())
def cpu():
    total, top = 0, 0
    for t in os.listdir('/proc/%d/task' % pid):
        f = open('/proc/%d/task/%s/stat' % (pid, t)).read().rsplit(')', 1)[1].split()
        c = int(f[11]) + int(f[12]); total += c; top = max(top, c)
    return total, top
tick = os.sysconf('SC_CLK_TCK')
def run(port, send):
    for attempt in range(40):   # slirp accepts at once; the guest's server may not listen yet
        s = socket.create_connection(('127.0.0.1', int(port)))
        c0, t0, n = cpu(), time.time(), 0
        try:
            if send:
                block = b'\x5a' * 65536
                while n < size: s.sendall(block); n += len(block)
                s.shutdown(socket.SHUT_WR)
                while s.recv(65536): pass
            else:
                while n < size:
                    b = s.recv(min(1 << 20, size - n))
                    if not b: break
                    n += len(b)
        except (ConnectionResetError, BrokenPipeError):
            if n > 0: raise
        if n > 0: break
        s.close(); time.sleep(0.5)
    t1, c1 = time.time(), cpu()
    s.close()
    # per-thread deltas are approximated by the busiest thread at the end minus at the start
    return n, t1 - t0, (c1[0] - c0[0]) / tick, (c1[1] - c0[1]) / tick
for direction, port, send in (('to_guest', discard, True), ('from_guest', chargen, False)):
    runs = []
    for _ in range(3):
        runs.append(run(port, send))
        time.sleep(2)   # the Linux peer starts its next server on the same port
    n, secs, qcpu, qtop = min(runs, key=lambda r: r[1])
    ok = 'ok' if all(r[0] >= size for r in runs) else 'SHORT'
    print('BULK %s %s bytes=%d seconds=%.3f mbps=%.2f qemu_cpu_s=%.2f qemu_top_thread_s=%.2f all_mbps=%s load=%.1f %s' % (name, direction, n, secs, n / secs / 1e6, qcpu, qtop,
          '/'.join('%.1f' % (r[0] / r[1] / 1e6) for r in runs), os.getloadavg()[0], ok))
PY
}
if [ "$part" != wire ] && [ "$part" != exosharp ]; then
port=$((20000 + RANDOM % 20000))
log=out/wire/bulk-exosharp.log pid=out/wire/bulk-exosharp.pid
rm -f "$log" "$pid"
QEMUFLAGS="-pidfile $pid" tools/run.sh --timeout 600 --net "user:$port" "inet 6 bulk" > "$log" 2>&1 &
job=$!
bulk "$log" "$pid" "inet: ready" "$((port + 1))" "$((port + 2))" exosharp >> "$raw" || true
wait "$job" || true
log=out/wire/bulk-linux.log pid=out/wire/bulk-linux.pid
rm -f "$log" "$pid"
PEER_PIDFILE=$pid tools/wire.sh peer 10.0.2.15 59 "user:$port:9" - - \
    "echo peer: serving; for i in 1 2 3; do wirepeer sink 9 > /dev/null; done; for i in 1 2 3; do wirepeer chargen 9 $((64 << 20)); done" > "$log" 2>&1 &
job=$!
bulk "$log" "$pid" "peer: serving" "$port" "$port" linux >> "$raw" || { echo "netbench: the Linux bulk run failed" >&2; kill "$(cat "$pid")" 2>/dev/null; }
wait "$job" || true
fi

# BENCH lines: ratio is how many times better ExoSharp is (costs: linux/exosharp; rates: exosharp/linux).
near() { grep "^NEAR $1 $2 tcp_$3 " "$raw" | sed -nE "s/.* $4=([0-9]+).*/\1/p" | head -1; }
ratio() { awk -v e="$1" -v l="$2" -v k="$3" 'BEGIN { if (e > 0 && l > 0) printf "%.2f", (k == "cost" ? l / e : e / l); else printf "-" }'; }
out=out/bench/net.bench
{
    for op in rr crr; do
        e=$(near exosharp wall $op ns); l=$(near linux wall $op ns)
        echo "BENCH tcp_$op exosharp=${e:--} linux=${l:--} unit=ns ratio=$(ratio "$e" "$l" cost) n=$([ $op = rr ] && echo "$rr" || echo "$crr")"
        e=$(near exosharp icount $op busy); l=$(near linux icount $op busy)
        echo "BENCH tcp_${op}_instructions exosharp=${e:--} linux=${l:--} unit=instructions ratio=$(ratio "$e" "$l" cost)" \
             "elapsed_exosharp=$(near exosharp icount $op ns) elapsed_linux=$(near linux icount $op ns)" \
             "exosharp_idle_blocked=$(near exosharp blocked $op busy)"
    done
    for d in from_guest to_guest; do
        name=tcp_bulk_host; [ "$d" = to_guest ] && name=tcp_bulk_host_rx
        e=$(sed -nE "s/^BULK exosharp $d .* mbps=([0-9.]+) .*/\1/p" "$raw"); l=$(sed -nE "s/^BULK linux $d .* mbps=([0-9.]+) .*/\1/p" "$raw")
        qe=$(sed -nE "s/^BULK exosharp $d .* qemu_cpu_s=([0-9.]+) qemu_top_thread_s=([0-9.]+).*/\1 \2/p" "$raw")
        ql=$(sed -nE "s/^BULK linux $d .* qemu_cpu_s=([0-9.]+) qemu_top_thread_s=([0-9.]+).*/\1 \2/p" "$raw")
        echo "BENCH $name exosharp=${e:--} linux=${l:--} unit=MB/s ratio=$(ratio "$e" "$l" rate)" \
             "qemu_cpu_s_exosharp=${qe% *} qemu_cpu_s_linux=${ql% *} qemu_top_thread_s_exosharp=${qe#* } qemu_top_thread_s_linux=${ql#* }"
    done
} > "$out"
cat "$out"
