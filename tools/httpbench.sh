#!/usr/bin/env bash
# make bench's HTTP part (tools/bench.sh runs it; it also runs alone): Cheetah on ExoSharp
# against nginx and busybox httpd on the Linux peer, driven by wrk from the host (-t1 --latency)
# through QEMU's user network, the same backend and card (virtio-net-pci) for every server.
#   ceiling: `cheetah fixed=SIZE` (src/Apps/Cheetah/FixedReply.cs), one fixed reply per request
#            on ExOS's stack, no parsing and no file: the network path alone
#   cheetah: `cheetah root=/www` serving the documents from a C-FFS disk (tools/fsimage)
#   nginx:   Debian's nginx 1.22.1 (the binary nginx-light is built on; its libraries from the
#            host's, the same Debian release) in the peer's initramfs (tools/wire.sh, tools/peer.sh),
#            worker_processes 1, sendfile on, access_log off, keepalive_requests 1000000, the
#            documents on an ext4 disk read once before the runs (warm)
#   busybox: busybox httpd on the same peer, same disk: one process per connection and
#            close-per-request (it has no keep-alive), so every request is a new connection
# Documents 100b, 1k, 10k, 100k (bytes 100, 1024, 10240, 102400, text/html); connections 1, 4,
# 16, 64; SECS seconds a point, after a warm-up. QEMU's CPU time (all threads, and its busiest
# thread, per second of the run) is kept beside each figure: near 1.0 for the busiest thread the
# emulator is the ceiling. Then an -icount shift=0 run of each server at 16 connections: busy
# guest instructions per request, the time the guest halted taken out by each side's accounting:
# ExoSharp's time-stamp counter minus ClockRecord.IdleCycles (/kernel/state.json's tsc and idle),
# Linux's /proc/uptime minus its idle (a busybox CGI, /cgi-bin/stat); the cost of one reading
# (measured by two readings back to back) is subtracted from each span. Cheetah's icount run is
# repeated with heads=off, cache=off, both, sums=off, acks=off and copies=on (its techniques'
# shares, docs/cheetah.md).
# Writes out/bench/http.bench (BENCH lines) and prints it, and docs/benchmarks-http.svg (the
# chart); `table` prints docs/benchmarks.md's HTTP section from the last run, `chart` writes the
# chart again.
# usage: tools/httpbench.sh [all|quick|table|chart] [SECS]   (quick: 1k and 100k, 1 and 16 connections)
#        tools/httpbench.sh instr [SECS [SIZES [VARIANTS]]]   only Cheetah's icount runs at 16
#            connections (default sizes "100b 1k", variants "cheetah heads-off cache-off plain
#            sums-off acks-off copies-on"): out/bench/http-instr.bench, busy instructions per request
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/sbin:/sbin"     # mkfs.ext4 for a user without the system directories
mode=${1:-all} secs=${2:-3}
work=out/bench/http
nginx_package=nginx nginx_version=1.22.1-9+deb12u12
out=out/bench/http.bench raw=$work/raw
mkdir -p "$work"

bytes_of() { case "$1" in 100b) echo 100 ;; 1k) echo 1024 ;; 10k) echo 10240 ;; 100k) echo 102400 ;; esac; }

table() {
    [ -s "$out" ] || { echo "httpbench: no run yet (tools/httpbench.sh)" >&2; exit 1; }
    key() { grep "^BENCH $1 " "$out" | sed -nE "s/.* $2=([^ ]+).*/\1/p" | head -1; }
    echo "## HTTP: Cheetah against nginx and busybox httpd"
    echo
    echo "\`tools/httpbench.sh\` (docs/cheetah.md, \"Benchmark\"), run at commit \`$(sed -n 's/^COMMIT //p' "$raw")\`: wrk $(wrk -v 2>&1 | head -1 | cut -d' ' -f2) from the host"
    echo "(\`-t1 --latency\`, $(sed -n 's/^SECONDS //p' "$raw") s a point after a warm-up) through QEMU's user network to a virtio-net card,"
    echo "the same for every server. Cheetah on ExoSharp serves a C-FFS disk; nginx $nginx_version"
    echo "(worker_processes 1, sendfile on, access_log off) and busybox httpd run on the Linux peer"
    echo "with the documents on a warm ext4 disk; busybox httpd closes every connection after one"
    echo "response (it has no keep-alive), so its figures include a connection per request. Ceiling:"
    echo "\`cheetah fixed=SIZE\`, one fixed reply per request through the same path (no parsing, no"
    echo "file). Requests per second; p99 latency in ms; QEMU CPU: QEMU's CPU seconds per second of"
    echo "the run, all threads / the busiest thread (near 1.0: the emulator is the limit). Wall clock"
    echo "on a shared 2-core machine (load average $(grep -h -o 'load=[0-9.]*' "$raw" | cut -d= -f2 | sort -n | sed -n '1p;$p' | paste -sd- -) during the runs): noisy."
    echo
    echo "| document, connections | ceiling | Cheetah | nginx | busybox (close) | Cheetah / nginx | p99 Cheetah | p99 nginx | QEMU CPU ceiling / Cheetah / nginx |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---|"
    grep -E '^BENCH http_[0-9a-z]+_c[0-9]+ ' "$out" | while read -r _ name _; do
        echo "| ${name#http_} | $(key "$name" ceiling) | $(key "$name" cheetah) | $(key "$name" nginx) | $(key "$name" busybox) | $(key "$name" ratio) |" \
             "$(key "$name" p99_cheetah) | $(key "$name" p99_nginx) | $(key "$name" qemu_ceiling) / $(key "$name" qemu_cheetah) / $(key "$name" qemu_nginx) |"
    done
    echo
    echo "![HTTP: instructions per request and requests per second](benchmarks-http.svg)"
    echo
    echo "Busy guest instructions per request (-icount shift=0, 16 connections, idle taken out: ExoSharp's"
    echo "time-stamp counter minus the kernel's IdleCycles, Linux's /proc/uptime minus its idle time):"
    echo
    echo "| document | Cheetah | nginx | busybox (close) | nginx / Cheetah |"
    echo "|---|---:|---:|---:|---:|"
    grep -E '^BENCH http_[0-9a-z]+_instructions ' "$out" | while read -r _ name _; do
        local n=${name#http_}
        echo "| ${n%_instructions} | $(key "$name" cheetah) | $(key "$name" nginx) | $(key "$name" busybox) | $(key "$name" ratio) |"
    done
    echo
    echo "Cheetah's techniques, each switched off in turn (busy instructions per request, same run"
    echo "conditions): \`heads=off\` formats every response head per request instead of copying the"
    echo "file's precomputed one; \`cache=off\` looks the file up in C-FFS and reads it through XN for"
    echo "every request instead of serving it from Cheetah's file cache; plain: both off; \`sums=off\`: the"
    echo "stack checksums cached bodies instead of taking the cache's precomputed sums; \`acks=off\`: no ACK"
    echo "merging (an ACK owed at the end of a batch of frames goes out then, not with the response);"
    echo "\`copies=on\`: responses made in a buffer of Cheetah's and copied into the stack's send buffer."
    echo
    echo "| document | Cheetah | heads=off | cache=off | plain | sums=off | acks=off | copies=on | plain / Cheetah |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    grep -E '^BENCH http_[0-9a-z]+_techniques ' "$out" | while read -r _ name _; do
        local n=${name#http_}
        echo "| ${n%_techniques} | $(key "$name" cheetah) | $(key "$name" heads_off) | $(key "$name" cache_off) | $(key "$name" plain) | $(key "$name" sums_off) | $(key "$name" acks_off) | $(key "$name" copies_on) |" \
             "$(awk -v a="$(key "$name" plain)" -v b="$(key "$name" cheetah)" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else printf "-" }') |"
    done
}

# The chart: busy instructions per request (log scale) and requests per second at 16
# connections, each server a colour, from out/bench/http.bench.
chart() {
    [ -s "$out" ] || { echo "httpbench: no run yet (tools/httpbench.sh)" >&2; exit 1; }
    python3 - "$out" docs/benchmarks-http.svg <<'PY'
import math, re, sys
lines = [l.split() for l in open(sys.argv[1]) if l.startswith('BENCH http_')]
val = lambda l, k: next((float(x.split('=')[1]) for x in l if x.startswith(k + '=') and re.match(r'^[0-9.]+$', x.split('=')[1])), 0.0)
sizes = [l[1][5:-13] for l in lines if l[1].endswith('_instructions')]
servers = [('ceiling', '#718096'), ('cheetah', '#2b6cb0'), ('nginx', '#c05621'), ('busybox', '#2f855a')]
svg, w, bar, left = [], 900, 10, 70
def panel(x0, title, rows, log):
    top = max([v for _, vs in rows for v in vs] + [1])
    svg.append('<text x="%d" y="48" font-size="13">%s</text>' % (x0, title))
    for i, (size, vs) in enumerate(rows):
        y = 62 + i * (bar * 4 + 14)
        svg.append('<text x="%d" y="%d">%s</text>' % (x0, y + 2 * bar + 4, size))
        for j, v in enumerate(vs):
            if v <= 0: continue
            length = (max(math.log10(v) - 3, 0.05) / (math.log10(top) - 3) if log else v / top) * 300
            svg.append('<rect x="%d" y="%d" width="%.0f" height="%d" fill="%s"/>' % (x0 + 45, y + j * bar, length, bar - 1, servers[j][1]))
            svg.append('<text x="%.0f" y="%d" font-size="9">%s</text>' % (x0 + 49 + length, y + j * bar + 8, '%.0f' % v))
inst = [(s, [0] + [val(l, k) for k in ('cheetah', 'nginx', 'busybox')]) for s in sizes for l in lines if l[1] == 'http_%s_instructions' % s]
rps = [(s, [val(l, k) for k in ('ceiling', 'cheetah', 'nginx', 'busybox')]) for s in sizes for l in lines if l[1] == 'http_%s_c16' % s]
height = 80 + len(sizes) * (bar * 4 + 14)
svg.insert(0, '<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="11">' % (w, height))
svg.append('<text x="10" y="18" font-size="14">HTTP: busy guest instructions per request (log scale) and requests/s at 16 connections</text>')
for j, (name, colour) in enumerate(servers):
    svg.append('<rect x="%d" y="26" width="12" height="10" fill="%s"/><text x="%d" y="35">%s</text>' % (10 + j * 110, colour, 26 + j * 110, name))
panel(10, 'instructions per request (-icount shift=0; log scale from 1,000)', inst, True)
panel(460, 'requests per second (wall clock, noisy)', rps, False)
svg.append('</svg>')
open(sys.argv[2], 'w').write('\n'.join(svg) + '\n')
PY
}

case "$mode" in
    table) table; exit 0 ;;
    chart) chart; exit 0 ;;
    all) sizes="100b 1k 10k 100k" conns="1 4 16 64" ;;
    quick) sizes="1k 100k" conns="1 16" ;;
    instr) sizes=${3:-100b 1k} conns=16 variants=${4:-cheetah heads-off cache-off plain sums-off acks-off copies-on} ;;
    *) echo "usage: tools/httpbench.sh [all|quick|table|instr] [SECS]" >&2; exit 2 ;;
esac
[ -f out/apps.elf ] || { echo "httpbench: build first (make all)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "httpbench: needs wrk: apt-get install wrk" >&2; exit 1; }
command -v mkfs.ext4 >/dev/null || { echo "httpbench: needs mkfs.ext4: apt-get install e2fsprogs" >&2; exit 1; }
[ "$mode" = instr ] && raw=$work/raw-instr
: > "$raw"
echo "COMMIT $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet -- src tools 2>/dev/null || echo ' with uncommitted changes')" >> "$raw"
echo "SECONDS $secs" >> "$raw"

# The documents: the same bytes for every server.
site=$work/site
rm -rf "$site"; mkdir -p "$site/www"
for s in 100b 1k 10k 100k; do
    python3 -c "import sys; n = int(sys.argv[1]); line = b'<p>' + bytes(range(97, 123)) * 2 + b'</p>\n'
sys.stdout.buffer.write((b'<!doctype html>\n' + line * (n // len(line) + 1))[:n - 1] + b'\n')" "$(bytes_of $s)" > "$site/www/$s.html"
done

# nginx from Debian (pinned), its libraries, a configuration; busybox's CGI for /proc/uptime.
extra=$work/peer-extra
if [ "$mode" != instr ] && [ ! -x "$work/nginx/usr/sbin/nginx" ]; then
    rm -rf "$work/nginx"; mkdir -p "$work/nginx"
    (cd "$work" && { apt-get download "$nginx_package=$nginx_version" >/dev/null 2>&1 ||
        { apt-get update -q >/dev/null 2>&1 && apt-get download "$nginx_package=$nginx_version" >/dev/null 2>&1; }; }) ||
        { echo "httpbench: cannot download $nginx_package=$nginx_version" >&2; exit 1; }
    dpkg -x "$work/${nginx_package}_${nginx_version}_amd64.deb" "$work/nginx"
fi
if [ "$mode" != instr ]; then
rm -rf "$extra"; mkdir -p "$extra/usr/sbin" "$extra/etc/nginx" "$extra/var/log/nginx" "$extra/var/lib/nginx" "$extra/run" "$extra/www"
cp "$work/nginx/usr/sbin/nginx" "$extra/usr/sbin/nginx"
for lib in $(ldd "$extra/usr/sbin/nginx" | grep -oE '/[^ ]+'); do mkdir -p "$extra$(dirname "$lib")"; cp -L "$lib" "$extra$lib"; done
echo 'root:x:0:0:root:/:/bin/sh' > "$extra/etc/passwd"
echo 'root:x:0:' > "$extra/etc/group"
cat > "$extra/etc/nginx/nginx.conf" <<'CONF'
user root;
worker_processes 1;
error_log stderr;
events { worker_connections 1024; }
http {
    types { text/html html; }
    default_type application/octet-stream;
    sendfile on;
    access_log off;
    keepalive_requests 1000000;
    keepalive_timeout 65;
    server {
        listen 80 default_server;
        root /www;
    }
}
CONF
mkdir -p "$site/linux/cgi-bin"
cp "$site/www/"*.html "$site/linux/"
printf '#!/bin/sh\necho "Content-Type: text/plain"\necho\nread u < /proc/uptime\necho "$u"\n' > "$site/linux/cgi-bin/stat"
chmod +x "$site/linux/cgi-bin/stat"
ext4=$work/ext4.img
rm -f "$ext4"; truncate -s 64M "$ext4"
mkfs.ext4 -q -F -b 4096 -d "$site/linux" "$ext4"
fi
cffs=$work/cffs.img
rm -f "$cffs"
tools/fsimage make "$cffs" "$site" 32 > "$work/fsimage.log"

# The measuring side: wrk at each point, QEMU's CPU time around it; with a stats URL, the busy
# guest instructions per request (icount runs). Prints POINT and INSTR lines.
measure() { # $1: label, $2: QEMU's pid file, $3: port, $4: sizes, $5: connections, $6: stats (exosharp|linux|-), $7: stats port
    HTTPBENCH_SITE=$site/www python3 - "$@" "$secs" <<'PY'
import json, os, re, subprocess, sys, time, urllib.request
label, pidfile, port, sizes, conns, stats, stats_port, secs = sys.argv[1:9]
pid = int(open(pidfile).read())
tick = os.sysconf('SC_CLK_TCK')
def cpu():
    out = {}
    for t in os.listdir('/proc/%d/task' % pid):
        try: f = open('/proc/%d/task/%s/stat' % (pid, t)).read().rsplit(')', 1)[1].split()
        except OSError: continue
        out[t] = int(f[11]) + int(f[12])
    return out
def ms(v):
    m = re.match(r'([0-9.]+)(us|ms|s)$', v)
    return float(m.group(1)) * {'us': 0.001, 'ms': 1.0, 's': 1000.0}[m.group(2)]
def wrk(path, c, d):
    r = subprocess.run(['wrk', '-t1', '-c%d' % c, '-d%ds' % d, '--latency', 'http://127.0.0.1:%s/%s' % (port, path)],
                       capture_output=True, text=True, timeout=d + 60)
    o = r.stdout
    g = lambda p: (re.search(p, o) or [None, None])[1]
    lat = dict(re.findall(r'^\s+(50|75|90|99)%\s+(\S+)', o, re.M))
    return {'rps': float(g(r'Requests/sec:\s+([0-9.]+)') or 0), 'n': int(g(r'(\d+) requests in') or 0),
            'p50': ms(lat['50']) if '50' in lat else -1, 'p99': ms(lat['99']) if '99' in lat else -1,
            'errors': int(g(r'Non-2xx or 3xx responses: (\d+)') or 0) + sum(int(x) for x in re.findall(r'(?:connect|read|write|timeout) (\d+)', g(r'(Socket errors:.*)') or ''))}
def reading():
    url = ('http://127.0.0.1:%s/kernel/state.json' if stats == 'exosharp' else 'http://127.0.0.1:%s/cgi-bin/stat') % stats_port
    body = urllib.request.urlopen(url, timeout=30).read().decode()
    if stats == 'exosharp':
        j = json.loads(body); return j['tsc'] - j['idle']
    up, idle = (float(x) for x in body.split()[:2])
    return (up - idle) * 1e9          # -icount shift=0: a nanosecond of guest time is one instruction
site = os.environ['HTTPBENCH_SITE']
for size in sizes.split():
    # The document as served, against the file: a server that answers wrongly is not measured.
    r = urllib.request.urlopen('http://127.0.0.1:%s/%s.html' % (port, size), timeout=60)
    body, want = r.read(), open('%s/%s.html' % (site, size), 'rb').read()
    fixed = label.startswith('ceiling')
    print('CHECK %s %s status=%d bytes=%d %s headers=%s' % (label, size, r.status, len(body),
          'ok' if body == want or (fixed and len(body) == len(want)) else 'MISMATCH', ','.join(k for k, _ in r.getheaders())), flush=True)
    wrk(size + '.html', 4, 1)         # warm-up: the file into the caches, the connections' first cost
    for c in (int(x) for x in conns.split()):
        if stats != '-':
            costs = []
            for _ in range(3):
                a = reading(); costs.append(reading() - a)
            cost = min(costs)
            a = reading(); w = wrk(size + '.html', c, int(secs)); b = reading()
            busy = b - a - cost
            print('INSTR %s %s c=%d busy_per_request=%.0f requests=%d reading_cost=%.0f elapsed_rps=%.1f errors=%d' % (
                label, size, c, busy / max(w['n'], 1), w['n'], cost, w['rps'], w['errors']), flush=True)
            continue
        c0, t0 = cpu(), time.time()
        w = wrk(size + '.html', c, int(secs))
        t1, c1 = time.time(), cpu()
        total = sum(c1.values()) - sum(c0.values())
        top = max((c1[t] - c0.get(t, 0)) for t in c1)
        print('POINT %s %s c=%d rps=%.0f p50=%.2f p99=%.2f requests=%d errors=%d qemu_cpu=%.2f qemu_top=%.2f load=%.1f' % (
            label, size, c, w['rps'], w['p50'], w['p99'], w['n'], w['errors'], total / tick / (t1 - t0), top / tick / (t1 - t0), os.getloadavg()[0]), flush=True)
PY
}

wait_ready() { # $1: log, $2: text, $3: pid file
    for _ in $(seq 600); do
        grep -q "$2" "$1" 2>/dev/null && [ -s "$3" ] && return 0
        sleep 0.5
    done
    echo "httpbench: never ready ($1):" >&2; tail -20 "$1" >&2; return 1
}
stop_qemu() { [ -f "$1" ] && kill "$(cat "$1")" 2>/dev/null; wait "$2" 2>/dev/null || true; rm -f "$1"; }

exosharp() { # $1: label, $2: cheetah's extra arguments, $3: sizes, $4: stats, $5: extra QEMU flags
    local port log=$work/$1.log pid=$work/$1.pid job
    for _ in 1 2 3; do      # a random host port may be taken: QEMU then ends at once, and another is tried
        port=$((20000 + RANDOM % 20000))
        rm -f "$log" "$pid"
        QEMUFLAGS="-pidfile $pid $5" tools/run.sh --timeout 900 --net "user:$port" --http "$((port + 3))" --disk "$cffs" \
            "cheetah root=/www max=128 $2" > "$log" 2>&1 &
        job=$!
        sleep 2
        grep -q "Could not set up host forwarding" "$log" || break
        wait "$job" 2>/dev/null || true
    done
    if wait_ready "$log" "cheetah: ready" "$pid"; then
        measure "$1" "$pid" "$((port + 3))" "$3" "$([ "$4" = - ] && echo "$conns" || echo 16)" "$4" "$((port + 3))" >> "$raw" || true
    fi
    stop_qemu "$pid" "$job"
}

linux() { # $1: label suffix, $2: stats, $3: extra QEMU flags
    local port=$((20000 + RANDOM % 20000)) log=$work/linux$1.log pid=$work/linux$1.pid job
    rm -f "$log" "$pid"
    # shellcheck disable=SC2086
    PEER_PIDFILE=$pid PEER_EXTRA=$extra tools/wire.sh peer 10.0.2.15 60 "user:$port:80:$((port + 1)):8080" - - "
mkdir -p /www && mount -t ext4 /dev/vda /www || echo 'peer: no ext4 disk'
/usr/sbin/nginx -c /etc/nginx/nginx.conf || echo 'peer: nginx did not start'
httpd -p 8080 -h /www || echo 'peer: busybox httpd did not start'
for f in /www/*.html; do cat \$f > /dev/null; done
echo 'peer: serving'
sleep 100000" -drive "file=$ext4,if=none,id=disk0,format=raw" -device virtio-blk-pci,drive=disk0 $3 > "$log" 2>&1 &
    job=$!
    if wait_ready "$log" "peer: serving" "$pid"; then
        local c=$conns; [ "$2" != - ] && c=16
        measure "nginx$1" "$pid" "$port" "$sizes" "$c" "$2" "$((port + 1))" >> "$raw" || true
        measure "busybox$1" "$pid" "$((port + 1))" "$sizes" "$c" "$2" "$((port + 1))" >> "$raw" || true
    fi
    stop_qemu "$pid" "$job"
}

# Cheetah's icount runs alone (instr): each variant a technique switched off.
if [ "$mode" = instr ]; then
    for v in $variants; do
        case "$v" in
            cheetah) a="" ;; heads-off) a="heads=off" ;; cache-off) a="cache=off" ;; plain) a="heads=off cache=off" ;;
            sums-off) a="sums=off" ;; acks-off) a="acks=off" ;; copies-on) a="copies=on" ;; *) echo "httpbench: unknown variant $v" >&2; exit 2 ;;
        esac
        exosharp "cheetah-icount$([ "$v" = cheetah ] || echo "-$v")" "$a" "$sizes" exosharp "-icount shift=0"
    done
    grep MISMATCH "$raw" >&2 && echo "httpbench: a server answered with the wrong body (above)" >&2
    for s in $sizes; do
        line="BENCH http_${s}_techniques"
        for v in $variants; do
            label=cheetah-icount$([ "$v" = cheetah ] || echo "-$v")
            line="$line ${v//-/_}=$(grep -E "^INSTR $label $s c=16 " "$raw" | sed -nE 's/.* busy_per_request=([^ ]+).*/\1/p' | head -1 || true)"
        done
        echo "$line unit=instructions conns=16 commit=$(sed -n 's/^COMMIT //p' "$raw" | tr ' ' '_')"
    done > out/bench/http-instr.bench
    cat out/bench/http-instr.bench
    exit 0
fi

for s in $sizes; do exosharp "ceiling-$s" "fixed=$(bytes_of "$s")" "$s" - ""; done
exosharp cheetah "" "$sizes" - ""
linux "" - ""
exosharp cheetah-icount "" "$sizes" exosharp "-icount shift=0"
# Each technique's share: the same icount run with it switched off (docs/cheetah.md).
exosharp cheetah-icount-heads-off "heads=off" "$sizes" exosharp "-icount shift=0"
exosharp cheetah-icount-cache-off "cache=off" "$sizes" exosharp "-icount shift=0"
exosharp cheetah-icount-plain "heads=off cache=off" "$sizes" exosharp "-icount shift=0"
exosharp cheetah-icount-sums-off "sums=off" "$sizes" exosharp "-icount shift=0"
exosharp cheetah-icount-acks-off "acks=off" "$sizes" exosharp "-icount shift=0"
exosharp cheetah-icount-copies-on "copies=on" "$sizes" exosharp "-icount shift=0"
linux -icount linux "-icount shift=0"

grep MISMATCH "$raw" >&2 && echo "httpbench: a server answered with the wrong body (above)" >&2
# BENCH lines.
point() { grep -E "^POINT $1 $2 c=$3 " "$raw" | sed -nE "s/.* $4=([^ ]+).*/\1/p" | head -1; }
instr() { grep -E "^INSTR $1 $2 c=16 " "$raw" | sed -nE "s/.* busy_per_request=([^ ]+).*/\1/p" | head -1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else printf "-" }'; }
{
    for s in $sizes; do for c in $conns; do
        ch=$(point cheetah "$s" "$c" rps); ng=$(point nginx "$s" "$c" rps); bb=$(point busybox "$s" "$c" rps)
        echo "BENCH http_${s}_c$c cheetah=${ch:--} nginx=${ng:--} busybox=${bb:--} unit=req/s ratio=$(ratio "$ch" "$ng")" \
             "ceiling=$(point "ceiling-$s" "$s" "$c" rps) p50_cheetah=$(point cheetah "$s" "$c" p50) p50_nginx=$(point nginx "$s" "$c" p50)" \
             "p99_cheetah=$(point cheetah "$s" "$c" p99) p99_nginx=$(point nginx "$s" "$c" p99) p99_busybox=$(point busybox "$s" "$c" p99)" \
             "qemu_ceiling=$(point "ceiling-$s" "$s" "$c" qemu_cpu)/$(point "ceiling-$s" "$s" "$c" qemu_top)" \
             "qemu_cheetah=$(point cheetah "$s" "$c" qemu_cpu)/$(point cheetah "$s" "$c" qemu_top)" \
             "qemu_nginx=$(point nginx "$s" "$c" qemu_cpu)/$(point nginx "$s" "$c" qemu_top)" \
             "qemu_busybox=$(point busybox "$s" "$c" qemu_cpu)/$(point busybox "$s" "$c" qemu_top)" \
             "errors=$(point cheetah "$s" "$c" errors)/$(point nginx "$s" "$c" errors)/$(point busybox "$s" "$c" errors)"
    done; done
    for s in $sizes; do
        ch=$(instr cheetah-icount "$s"); ng=$(instr nginx-icount "$s"); bb=$(instr busybox-icount "$s")
        echo "BENCH http_${s}_instructions cheetah=${ch:--} nginx=${ng:--} busybox=${bb:--} unit=instructions ratio=$(ratio "$ng" "$ch") conns=16"
    done
    for s in $sizes; do
        echo "BENCH http_${s}_techniques cheetah=$(instr cheetah-icount "$s") heads_off=$(instr cheetah-icount-heads-off "$s")" \
             "cache_off=$(instr cheetah-icount-cache-off "$s") plain=$(instr cheetah-icount-plain "$s")" \
             "sums_off=$(instr cheetah-icount-sums-off "$s") acks_off=$(instr cheetah-icount-acks-off "$s")" \
             "copies_on=$(instr cheetah-icount-copies-on "$s") unit=instructions conns=16"
    done
} > "$out"
cat "$out"
chart
