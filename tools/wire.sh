#!/usr/bin/env bash
# The guest-to-guest wire: the Linux peer (tools/peer.sh's kernel and initramfs, with
# src/Bench/Linux/wirepeer.c built static) in a second QEMU, joined to another QEMU's virtio-net
# card by QEMU's dgram netdev (each end sends its frames as UDP datagrams to the other's port on
# 127.0.0.1). The peer's card is 52:54:00:12:34:<MAC>; its init loads the virtio modules, sets
# the address, runs SCRIPT (busybox sh, wirepeer and busybox's applets on PATH) and powers off.
# LOCAL "user:H:G" puts the card on QEMU's user network instead, host 127.0.0.1:H forwarded to
# the guest's TCP port G ("user:H:G:H2:G2..." forwards more pairs; REMOTE is then ignored; the
# address should be 10.0.2.15). $PEER_EXTRA, when set, is a directory copied into the peer's
# initramfs (tools/httpbench.sh: nginx and its libraries).
# Usage:
#   tools/wire.sh peer ADDRESS MAC LOCAL REMOTE DUMP SCRIPT [QEMU flags...]
#        boots the peer; its serial console on stdout (carriage returns removed); DUMP: a pcap
#        file of the peer's card (QEMU's filter-dump, first 128 bytes of each frame) or "-";
#        QEMU's pid goes to $PEER_PIDFILE when set; $PEER_TIMEOUT bounds the run (default 900 s)
#   tools/wire.sh test GUEST HOST      the host side of tests/Boot/net-linux.test (below)
#   tools/wire.sh impair GUEST HOST SEED MIB
#        the host side of tests/Boot/net-impair.test: the same wire through tools/relay (5% drop,
#        5% reorder, 1% duplication, 0.5% corruption, 1 ms delay, seeded); Linux sends MIB through
#        inet's echo and back, inet sends MIB to Linux's sink and reads MIB from its source
#   tools/wire.sh pcap FILE            what a capture shows about each TCP handshake
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p out/wire

peer() {
    local address=$1 mac=$2 local=$3 remote=$4 dump=$5 script=$6; shift 6
    local vmlinuz dir
    vmlinuz=$(tools/peer.sh kernel)
    dir=$(mktemp -d out/wire/root.XXXXXX)
    mkdir -p "$dir/bin"
    gcc -O2 -static -o "$dir/bin/wirepeer" src/Bench/Linux/wirepeer.c
    [ -n "${PEER_EXTRA:-}" ] && cp -a "$PEER_EXTRA/." "$dir/"
    cat > "$dir/init" <<INIT
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
/modules/load || echo "peer: the virtio modules did not load"
ip link set lo up
ip link set eth0 up
ip addr add $address/24 dev eth0
echo "peer: eth0 up at $address"
$script
echo "peer: done"
poweroff -f
INIT
    chmod +x "$dir/init"
    tools/peer.sh initrd "$dir" "$dir.cpio"
    local flags=() netdev="dgram,id=net0,local.type=inet,local.host=127.0.0.1,local.port=$local,remote.type=inet,remote.host=127.0.0.1,remote.port=$remote"
    case "$local" in user:*:*)
        netdev="user,id=net0"
        local pairs=${local#user:}
        while [ -n "$pairs" ]; do
            netdev="$netdev,hostfwd=tcp:127.0.0.1:$(echo "$pairs" | cut -d: -f1)-:$(echo "$pairs" | cut -d: -f2)"
            pairs=$(echo "$pairs" | cut -s -d: -f3-)
        done ;;
    esac
    [ "$dump" != - ] && flags+=(-object "filter-dump,id=dump0,netdev=net0,file=$dump,maxlen=128")
    local pidfile=${PEER_PIDFILE:-$dir.pid}
    rm -f "$pidfile"
    pidfiles+=("$pidfile")
    # In the background and waited for, so a TERM reaches the trap below at once.
    timeout "${PEER_TIMEOUT:-900}" qemu-system-x86_64 -accel tcg -cpu max -smp 1 -m 256M -display none -monitor none -no-reboot \
        -serial stdio -kernel "$vmlinuz" -initrd "$dir.cpio" -append "console=ttyS0 quiet panic=-1" \
        -netdev "$netdev" -pidfile "$pidfile" \
        -device "virtio-net-pci,netdev=net0,mac=52:54:00:12:34:$mac" "${flags[@]}" "$@" </dev/null | stdbuf -oL tr -d '\r' &
    wait $! || true
    rm -rf "$dir" "$dir.cpio" "$dir.pid"
}

# Killed (the boot-test harness ends a host command that outlives its QEMU by 15 s): the
# peers' QEMUs and the relay go too.
pidfiles=() relay=""
stop() {
    local f
    for f in "${pidfiles[@]}"; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null; done
    [ -n "$relay" ] && kill "$relay" 2>/dev/null
    exit 1
}
trap stop TERM INT

# The TCP handshakes in a capture: for each SYN and SYN-ACK its options; then whether every
# connection negotiated SACK, window scaling and timestamps, and how many segments carried
# timestamps and SACK blocks.
pcap() {
    python3 - "$1" <<'PY'
import struct, sys
data = open(sys.argv[1], 'rb').read()
if len(data) < 24: print("wire: capture: empty"); sys.exit(0)
at, syns, segments, stamped, sacked, shift, largest = 24, [], 0, 0, 0, {}, {}
def ip(b): return '.'.join(str(x) for x in b)
while at + 16 <= len(data):
    _, _, incl, _ = struct.unpack('<IIII', data[at:at + 16]); frame = data[at + 16:at + 16 + incl]; at += 16 + incl
    if len(frame) < 34 or frame[12:14] != b'\x08\x00' or frame[23] != 6: continue
    ihl = (frame[14] & 15) * 4; t = frame[14 + ihl:]
    if len(t) < 20: continue
    sport, dport, flags, doff = struct.unpack('>H', t[0:2])[0], struct.unpack('>H', t[2:4])[0], t[13], (t[12] >> 4) * 4
    opts, o, kinds = t[20:doff], 0, {}
    while o < len(opts):
        k = opts[o]
        if k == 0: break
        if k == 1: o += 1; continue
        if o + 1 >= len(opts): break
        n = opts[o + 1]
        if n < 2: break
        kinds[k] = opts[o + 2:o + n]; o += n
    segments += 1
    src, dst, window = ip(frame[26:30]), ip(frame[30:34]), struct.unpack('>H', t[14:16])[0]
    if flags & 2: shift[(src, dst)] = kinds[3][0] if 3 in kinds else 0
    elif (src, dst) in shift and (dst, src) in shift:
        largest[src] = max(largest.get(src, 0), window << shift[(src, dst)])
    if 8 in kinds: stamped += 1
    if 5 in kinds: sacked += 1
    if flags & 2:
        names = []
        if 2 in kinds: names.append('mss %d' % struct.unpack('>H', kinds[2])[0])
        if 3 in kinds: names.append('wscale %d' % kinds[3][0])
        if 4 in kinds: names.append('sackOK')
        if 8 in kinds: names.append('timestamps')
        syns.append((flags & 16 != 0, '%s:%d > %s:%d' % (ip(frame[26:30]), sport, ip(frame[30:34]), dport), kinds, names))
for ack, who, kinds, names in syns:
    print('wire: %s %s: %s' % ('SYN-ACK' if ack else 'SYN', who, ', '.join(names) or 'no options'))
full = [s for s in syns if all(k in s[2] for k in (3, 4, 8))]
replies = sum(1 for s in syns if s[0])
print('wire: capture: %d SYNs and %d SYN-ACKs, %d of them with SACK-permitted, window scale and timestamps; '
      'timestamps on %d of %d TCP segments, SACK blocks on %d' % (len(syns) - replies, replies, len(full), stamped, segments, sacked))
print('wire: capture: largest window advertised (scaled): ' + ', '.join('%s %d bytes' % (a, w) for a, w in sorted(largest.items())))
if len(largest) == 2 and min(largest.values()) > 65535: print('wire: capture: windows beyond 64 KiB advertised in both directions')
if syns and len(full) == len(syns) and 2 * replies == len(syns): print('wire: capture: every handshake negotiated SACK, window scaling and timestamps')
PY
}

# The data the test's streams must carry, by SHA-256: wirepeer's pattern for SEED, or inet's
# chargen (RFC 864 lines of 72 characters, each starting one later).
expected() { # $1: pattern SEED BYTES | chargen BYTES
    python3 - "$@" <<'PY'
import hashlib, sys
h = hashlib.sha256()
if sys.argv[1] == 'pattern':
    x, n, out, M = int(sys.argv[2]) or 1, int(sys.argv[3]), bytearray(), (1 << 64) - 1
    for _ in range((n + 7) // 8):
        x ^= (x << 13) & M; x ^= x >> 7; x ^= (x << 17) & M
        out += x.to_bytes(8, 'little')
    h.update(bytes(out[:n]))
else:
    n = int(sys.argv[2]); line = bytes(range(32, 127))
    lines = bytearray()
    for l in range((n + 73) // 74): lines += (line * 2)[l % 95:l % 95 + 72] + b'\r\n'
    h.update(bytes(lines[:n]))
print(h.hexdigest())
PY
}

test_side() { # the host side of tests/Boot/net-linux.test: ExoSharp's card is GUEST, the peer's HOST
    local guest=$1 host=$2 mib=4 bytes=$((4 << 20)) dump=out/wire/net-linux.pcap out=out/wire/net-linux.peer
    rm -f "$dump"
    local script="
wirepeer sink 5001 2>/tmp/sink.err | sha256sum > /tmp/sink.sha &
wirepeer source 5002 $bytes 8 2>/tmp/source.err &
tries=0; until ping -c 1 -W 1 10.0.2.15 >/dev/null 2>&1; do tries=\$((tries + 1)); [ \$tries -gt 120 ] && break; done
echo \"peer: ExoSharp answers ping after \$tries tries\"
echo \"peer: echo: sha256 \$(wirepeer echo 10.0.2.15 7 $bytes 1 | sha256sum)\"
wirepeer send 10.0.2.15 9 $bytes 2
echo \"peer: chargen: sha256 \$(wirepeer read 10.0.2.15 19 $bytes | sha256sum)\"
wait
cat /tmp/sink.err /tmp/source.err
echo \"peer: sink: sha256 \$(cat /tmp/sink.sha)\"
"
    PEER_TIMEOUT=170 peer 10.0.2.16 57 "$host" "$guest" "$dump" "$script" > "$out" 2>&1
    grep -E '^(peer|wirepeer):' "$out" | sed 's/^/linux: /'
    local e_echo e_chargen e_sink got
    e_echo=$(expected pattern 1 "$bytes"); e_chargen=$(expected chargen "$bytes"); e_sink=$(expected pattern 7 "$bytes")
    check() { # $1: what, $2: the peer's line prefix, $3: expected hash
        got=$(sed -nE "s/^peer: $2: sha256 ([0-9a-f]{64}).*/\1/p" "$out" | head -1)
        if [ "$got" = "$3" ]; then echo "wire: $1: $mib MiB, sha256 $got matches"
        else echo "wire: $1: MISMATCH: sha256 '${got:-none}', expected $3"; fi
    }
    check "Linux to ExoSharp's echo and back" echo "$e_echo"
    check "ExoSharp's chargen to Linux" chargen "$e_chargen"
    check "ExoSharp's client to Linux's sink" sink "$e_sink"
    [ -s "$dump" ] && pcap "$dump" || echo "wire: no capture"
}

# Linux's TCP counters that show recovery (/proc/net/netstat's TcpExt), as a line for the log.
tcp_counters='awk '"'"'/^TcpExt:/ { if (!h) { for (i = 2; i <= NF; i++) n[i] = $i; h = 1 } else { printf "peer: TCP counters:"; for (i = 2; i <= NF; i++) if (n[i] ~ /^(TCPTimeouts|TCPFastRetrans|TCPSlowStartRetrans|TCPSackRecovery|TCPLossProbes|TCPSACKReorder|TCPDSACKRecv|TCPOFOQueue)$/) printf " %s %s", n[i], $i; print "" } }'"'"' /proc/net/netstat'

impair_side() { # the host side of tests/Boot/net-impair.test
    local guest=$1 host=$2 seed=$3 mib=$4 bytes=$(($4 << 20)) out=out/wire/net-impair.peer
    local relay_a=$host relay_b=$((host + 1)) linux=$((host + 2))
    gcc -O2 -Wall -o out/wire/relay tools/relay/relay.c
    out/wire/relay "$relay_a" "$guest" "$relay_b" "$linux" "$seed" 0.05 0.01 0.05 0.005 1 > out/wire/net-impair.relay 2>&1 &
    relay=$!
    local script="
wirepeer sink 5001 2>/tmp/sink.err | sha256sum > /tmp/sink.sha &
wirepeer source 5002 $bytes 8 2>/tmp/source.err &
tries=0; until ping -c 1 -W 1 10.0.2.15 >/dev/null 2>&1; do tries=\$((tries + 1)); [ \$tries -gt 120 ] && break; done
echo \"peer: echo: sha256 \$(wirepeer echo 10.0.2.15 7 $bytes 1 | sha256sum)\"
wait
cat /tmp/sink.err /tmp/source.err
echo \"peer: sink: sha256 \$(cat /tmp/sink.sha)\"
$tcp_counters
"
    PEER_TIMEOUT=$((120 + 45 * mib)) peer 10.0.2.16 57 "$linux" "$relay_b" - "$script" > "$out" 2>&1
    kill "$relay"; wait "$relay" || true; relay=""
    grep -E '^(peer|wirepeer):' "$out" | sed 's/^/linux: /'
    cat out/wire/net-impair.relay
    local got e_echo e_sink
    e_echo=$(expected pattern 1 "$bytes"); e_sink=$(expected pattern 7 "$bytes")
    for what in "echo:Linux to ExoSharp's echo and back:$e_echo" "sink:ExoSharp's client to Linux's sink:$e_sink"; do
        IFS=: read -r key text want <<< "$what"
        got=$(sed -nE "s/^peer: $key: sha256 ([0-9a-f]{64}).*/\1/p" "$out" | head -1)
        if [ "$got" = "$want" ]; then echo "wire: $text: $mib MiB through the relay, sha256 matches"
        else echo "wire: $text: MISMATCH: sha256 '${got:-none}', expected $want"; fi
    done
}

case "${1:-}" in
peer) shift; peer "$@" ;;
test) test_side "$2" "$3" ;;
impair) impair_side "$2" "$3" "$4" "$5" ;;
pcap) pcap "$2" ;;
*) echo "usage: tools/wire.sh peer ADDRESS MAC LOCAL REMOTE DUMP SCRIPT | test GUEST HOST | pcap FILE" >&2; exit 2 ;;
esac
