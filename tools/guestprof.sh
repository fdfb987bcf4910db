#!/usr/bin/env bash
# Where guest instructions go, by function: boots PROGRAM (tools/run.sh) under QEMU with the
# guestprof plugin (tools/guestprof/guestprof.c: instructions per translated block), runs the
# host command LOAD once the guest prints READY (e.g. wrk against Cheetah; $HTTP_PORT is the host
# port forwarded to the guest's port 80), waits for the guest to end, and prints the functions
# of out/kernel.elf and out/apps.elf with the most instructions, with per-operation figures
# when LOAD prints "OPERATIONS n". The whole run counts, boot included (keep LOAD long against it).
# usage: tools/guestprof.sh [--disk IMAGE] [--net NET] [--top N] PROGRAM READY LOAD
#            --net: tools/run.sh's --net (e.g. dgram:GUEST:HOST for the wire to the Linux peer);
#            default user:PORT with $HTTP_PORT forwarded to port 80
#        tools/guestprof.sh report COUNTS [OPERATIONS [TOP [BASE BASE_OPERATIONS]]]
#            the counts of an earlier run; with BASE (a shorter run of the same boot), BASE's counts
#            are taken from COUNTS' first, so boot and start-up fall out and the figures are per
#            operation of the difference
set -euo pipefail
cd "$(dirname "$0")/.."

report() { # $1: counts file, $2: operations (0: none), $3: how many functions, [$4 $5: base, its operations]
python3 - "$@" <<'PY'
import bisect, subprocess, sys
counts, ops, top = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
base = {}
if len(sys.argv) > 5:
    for line in open(sys.argv[4]):
        a, n = line.split()
        if a != 'overflow': base[int(a, 16)] = base.get(int(a, 16), 0) + int(n)   # an address can start several blocks
    ops -= int(sys.argv[5])
symbols = []
for elf in ('out/kernel.elf', 'out/apps.elf'):
    for line in subprocess.run(['nm', '-n', elf], capture_output=True, text=True).stdout.splitlines():
        p = line.split()
        if len(p) == 3 and p[1] in 'tTwW': symbols.append((int(p[0], 16), p[2]))
symbols.sort()
starts = [s[0] for s in symbols]
per, total, at = {}, 0, {}
for line in open(counts):
    a, n = line.split()
    if a != 'overflow': at[int(a, 16)] = at.get(int(a, 16), 0) + int(n)
for a, n in at.items():
    n -= base.get(a, 0)
    total += n
    i = bisect.bisect_right(starts, a) - 1
    name = symbols[i][1] if i >= 0 and a - symbols[i][0] < (1 << 20) else '?%x' % (a & ~0xfff)
    per[name] = per.get(name, 0) + n
print('guestprof: %d guest instructions%s' % (total, ', %d operations: %.0f per operation' % (ops, total / ops) if ops else ''))
for name, n in sorted(per.items(), key=lambda x: -x[1])[:top]:
    print('%14d %5.1f%% %10s  %s' % (n, 100.0 * n / total, '%.0f' % (n / ops) if ops else '', name))
PY
}

if [ "${1:-}" = report ]; then shift; report "$1" "${2:-0}" "${3:-40}" "${@:4}"; exit 0; fi
disk=() top=40 net=
while [ $# -gt 3 ]; do
    case "$1" in
        --disk) disk=(--disk "$2"); shift 2 ;;
        --top) top=$2; shift 2 ;;
        --net) net=$2; shift 2 ;;
        *) break ;;
    esac
done
[ $# = 3 ] || { echo "usage: tools/guestprof.sh [--disk IMAGE] [--net NET] [--top N] PROGRAM READY LOAD | report COUNTS [OPERATIONS [TOP]]" >&2; exit 2; }
program=$1 ready=$2 load=$3
mkdir -p out/guestprof
gcc -O2 -shared -fPIC -fvisibility=hidden -o out/guestprof/guestprof.so tools/guestprof/guestprof.c
counts=out/guestprof/blocks.txt log=out/guestprof/serial.log
rm -f "$counts" "$log"
port=$((20000 + RANDOM % 20000))
netflags=(--net "user:$port" --http "$((port + 3))")
[ -n "$net" ] && netflags=(--net "$net")
QEMUFLAGS="-plugin out/guestprof/guestprof.so,out=$counts ${GUESTPROF_QEMUFLAGS:-}" tools/run.sh --timeout 900 "${netflags[@]}" \
    "${disk[@]}" "$program" > "$log" 2>&1 &
job=$!
for _ in $(seq 600); do grep -q "$ready" "$log" && break; sleep 0.3; done
grep -q "$ready" "$log" || { echo "guestprof: the guest never printed '$ready'" >&2; tail "$log" >&2; kill "$job"; exit 1; }
operations=$(HTTP_PORT=$((port + 3)) bash -c "$load" | tee /dev/stderr | sed -n 's/^OPERATIONS //p' | tail -1)
wait "$job" || true
[ -s "$counts" ] || { echo "guestprof: no counts written" >&2; exit 1; }
report "$counts" "${operations:-0}" "$top"
