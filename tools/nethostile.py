#!/usr/bin/env python3
# The host side of tests/Boot/net-hostile-stack.test: a hostile peer writing raw frames on
# QEMU's dgram netdev (ours to 127.0.0.1:GUEST, the guest's to us on HOST) against inet at
# 10.0.2.15, keeping one good echo connection alive and checked between the attacks (listed
# in main and docs/network.md); then the guest's drop counters read from LOG. A minimal TCP
# (MSS only, go-back-N). Prints "hostile: ... ok|WRONG". Usage: tools/nethostile.py GUEST HOST [LOG]
import random
import re
import select
import socket
import struct
import sys
import time

GUEST_IP = "10.0.2.15"
HOST_MAC = bytes.fromhex("525400123499")
BROADCAST = b"\xff" * 6
rng = random.Random(20261208)
failures = 0


def say(text):
    print("hostile: " + text, flush=True)


def check(what, good):
    global failures
    if not good:
        failures += 1
    say(what + (": ok" if good else ": WRONG"))


def ip4(a):
    return socket.inet_aton(a)


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ip_packet(src, dst, proto, payload, ident=1, frag=0, ttl=64, options=b"", bad_sum=False, total=None, version_ihl=None):
    options += b"\0" * (-len(options) % 4)
    ihl = 5 + len(options) // 4
    length = total if total is not None else 20 + len(options) + len(payload)
    h = struct.pack("!BBHHHBBH4s4s", version_ihl if version_ihl is not None else 0x40 | ihl, 0, length, ident, frag, ttl, proto, 0, ip4(src), ip4(dst)) + options
    s = csum(h) ^ (0x5555 if bad_sum else 0)
    return h[:10] + struct.pack("!H", s) + h[12:] + payload


def tcp_segment(src, dst, sport, dport, seq, ack, flags, window, options=b"", data=b"", bad_sum=False, offset_words=None):
    options += b"\1" * (-len(options) % 4)
    off = offset_words if offset_words is not None else 5 + len(options) // 4
    h = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, off << 4, flags, window, 0, 0) + options
    pseudo = ip4(src) + ip4(dst) + struct.pack("!BBH", 0, 6, len(h) + len(data))
    s = csum(pseudo + h + data) ^ (0x0101 if bad_sum else 0)
    return h[:16] + struct.pack("!H", s) + h[18:] + data


def udp_datagram(src, dst, sport, dport, data, bad_sum=False):
    h = struct.pack("!HHHH", sport, dport, 8 + len(data), 0)
    pseudo = ip4(src) + ip4(dst) + struct.pack("!BBH", 0, 17, 8 + len(data))
    s = csum(pseudo + h + data) or 0xFFFF
    return h[:6] + struct.pack("!H", s ^ (0x0101 if bad_sum else 0)) + data


def icmp_message(kind, code, rest, data, bad_sum=False):
    m = struct.pack("!BBHI", kind, code, 0, rest) + data
    return m[:2] + struct.pack("!H", csum(m) ^ (0x0101 if bad_sum else 0)) + m[4:]


def arp(hardware, hlen, plen, op, sender_mac, sender_ip):
    """An ARP message for the guest's address (so the guest's filter passes it to the stack)."""
    return struct.pack("!HHBBH", hardware, 0x0800, hlen, plen, op) + sender_mac + ip4(sender_ip) + b"\0" * 6 + ip4(GUEST_IP)


FIN, SYN, RST, PSH, ACK = 1, 2, 4, 8, 16


class Wire:
    """The raw wire: frames to and from the guest's card, ARP answered for every address but the guest's."""

    def __init__(self, guest_port, host_port):
        self.s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        self.s.bind(("127.0.0.1", host_port))
        self.to = ("127.0.0.1", guest_port)
        self.guest_mac = BROADCAST
        self.conns = {}
        self.stray = {}              # counts of frames no connection took, by kind
        self.icmp = []               # ICMP messages from the guest (type, code, payload)
        self.sent = 0
        self.asked = {}              # ARP requests from the guest, by the address asked for

    def frame(self, payload, etype=0x0800, dst=None):
        f = (dst or self.guest_mac) + HOST_MAC + struct.pack("!H", etype) + payload
        self.raw(f + b"\0" * max(0, 60 - len(f)))

    def raw(self, f):
        self.s.sendto(f, self.to)
        self.sent += 1

    def ip(self, src, proto, payload, **kw):
        self.frame(ip_packet(src, GUEST_IP, proto, payload, **kw))

    def poll(self, timeout):
        end = time.time() + timeout
        while True:
            left = end - time.time()
            r, _, _ = select.select([self.s], [], [], max(0, left))
            if not r:
                break
            f, _ = self.s.recvfrom(4096)
            self.take(f)
            if left <= 0:
                break

    def take(self, f):
        if len(f) < 14:
            return
        etype = struct.unpack("!H", f[12:14])[0]
        if etype == 0x0806 and len(f) >= 42:
            op = struct.unpack("!H", f[20:22])[0]
            sender_mac, sender_ip, target_ip = f[22:28], socket.inet_ntoa(f[28:32]), socket.inet_ntoa(f[38:42])
            if sender_ip == GUEST_IP:
                self.guest_mac = sender_mac
            if op == 1:
                self.asked[target_ip] = self.asked.get(target_ip, 0) + 1
            if op == 1 and target_ip != GUEST_IP:
                reply = struct.pack("!HHBBH", 1, 0x0800, 6, 4, 2) + HOST_MAC + ip4(target_ip) + sender_mac + f[28:32]
                self.frame(reply, 0x0806, sender_mac)
            return
        if etype != 0x0800 or len(f) < 34:
            return
        ihl = (f[14] & 15) * 4
        total = struct.unpack("!H", f[16:18])[0]
        proto, src, dst = f[23], socket.inet_ntoa(f[26:30]), socket.inet_ntoa(f[30:34])
        body = f[14 + ihl:14 + total]
        if proto == 1:
            self.icmp.append((body[0], body[1], body))
            return
        if proto != 6 or len(body) < 20:
            return
        sport, dport, seq, ack, off, flags, window = struct.unpack("!HHIIBBH", body[:16])
        data = body[(off >> 4) * 4:]
        c = self.conns.get((dst, dport))
        if c is None:
            kind = "SYN-ACK" if flags & (SYN | ACK) == SYN | ACK else "RST" if flags & RST else "other"
            self.stray[kind] = self.stray.get(kind, 0) + 1
            return
        c.segment(seq, ack, flags, window, data)


class Conn:
    """A minimal TCP client: in-order receive, go-back-N retransmission after 300 ms."""

    def __init__(self, wire, src, sport, dport, window=65535, ack_data=True):
        self.w, self.src, self.sport, self.dport = wire, src, sport, dport
        self.window, self.ack_data = window, ack_data
        self.iss = rng.randrange(1 << 32)
        self.snd_una = self.snd_nxt = self.iss
        self.out = b""                # bytes from snd_una + 1 (after the SYN) on
        self.base = self.iss + 1      # sequence number of out[0]
        self.peer_window = 0
        self.rcv_nxt = None
        self.received = bytearray()
        self.state = "SYN-SENT"
        self.fin_in = False
        self.fin_out = False
        self.last_send = 0
        self.segments = []            # every segment from the guest: (time, seq, ack, flags, window, length)
        wire.conns[(src, sport)] = self

    def send_raw(self, flags, seq=None, ack=None, data=b"", window=None, options=b""):
        seg = tcp_segment(self.src, GUEST_IP, self.sport, self.dport, self.snd_nxt if seq is None else seq,
                          (self.rcv_nxt or 0) if ack is None else ack, flags, self.window if window is None else window, options, data)
        self.w.ip(self.src, 6, seg)

    def open(self, timeout=20):
        end = time.time() + timeout
        while self.state == "SYN-SENT" and time.time() < end:
            self.send_raw(SYN, seq=self.iss, ack=0, options=b"\2\4\5\x78")     # MSS 1400
            self.w.poll(0.5)
        return self.state == "ESTABLISHED"

    def segment(self, seq, ack, flags, window, data):
        self.segments.append((time.time(), seq, ack, flags, window, len(data)))
        if flags & RST:
            self.state = "RESET"
            return
        if self.state == "SYN-SENT":
            if flags & SYN and flags & ACK and ack == (self.iss + 1) & 0xFFFFFFFF:
                self.rcv_nxt = (seq + 1) & 0xFFFFFFFF
                self.snd_una = self.snd_nxt = self.base = (self.iss + 1) & 0xFFFFFFFF
                self.peer_window = window
                self.state = "ESTABLISHED"
                self.send_raw(ACK)
            return
        if flags & SYN:
            self.send_raw(ACK)           # our ACK of the SYN-ACK was lost
            return
        if flags & ACK:
            acked = (ack - self.snd_una) & 0xFFFFFFFF
            if 0 < acked <= (self.snd_nxt - self.snd_una) & 0xFFFFFFFF:
                self.snd_una = ack
                self.last_send = time.time()
            self.peer_window = window
        if not self.ack_data:
            return
        if data or flags & FIN or seq != self.rcv_nxt:      # data, a FIN, a probe or anything out of order: ACK
            if seq == self.rcv_nxt:
                self.received += data
                self.rcv_nxt = (self.rcv_nxt + len(data)) & 0xFFFFFFFF
                if flags & FIN:
                    self.fin_in = True
                    self.rcv_nxt = (self.rcv_nxt + 1) & 0xFFFFFFFF
            self.send_raw(ACK)
        self.pump()

    def queue(self, data):
        self.out += data
        self.pump()

    def pump(self):
        if self.state != "ESTABLISHED":
            return
        now = time.time()
        if self.snd_una != self.snd_nxt and now - self.last_send > 0.3:
            self.snd_nxt = self.snd_una          # go back N
        limit = (self.snd_una + max(self.peer_window, 0)) & 0xFFFFFFFF
        for _ in range(16):
            at = (self.snd_nxt - self.base) & 0xFFFFFFFF
            if at > len(self.out):
                break                            # the FIN is out
            room = (limit - self.snd_nxt) & 0xFFFFFFFF
            if room > 1 << 30:
                room = 0
            n = min(1000, len(self.out) - at, room)
            fin = self.fin_out and at + n == len(self.out)
            if n <= 0 and not fin:
                break
            self.send_raw(ACK | (PSH if n else 0) | (FIN if fin else 0), data=self.out[at:at + n])
            self.snd_nxt = (self.snd_nxt + n + (1 if fin else 0)) & 0xFFFFFFFF
            self.last_send = now
            if fin:
                break

    def tick(self):
        self.pump()

    def close(self):
        self.fin_out = True
        self.pump()

    def reset(self):
        self.send_raw(RST | ACK, seq=self.snd_una)     # exactly what the guest expects next
        self.state = "CLOSED"


def backing_off(gaps):
    """Gaps that grow: the last at least 1.5 times the first, none much shorter than the one
    before (the host timestamps frames when it reads them, late while it floods)."""
    return len(gaps) >= 2 and gaps[-1] >= 1.5 * gaps[0] and all(b >= 0.6 * a for a, b in zip(gaps, gaps[1:]))


def pattern(n, seed):
    r = random.Random(seed)
    return bytes(r.getrandbits(8) for _ in range(n))


def run_until(wire, conns, cond, timeout):
    end = time.time() + timeout
    while not cond() and time.time() < end:
        wire.poll(0.02)
        for c in conns:
            c.tick()
    return cond()


def guest_counters(log):
    """The guest's drop counters, from its last lines (inet prints them as it exits)."""
    text, end = "", time.time() + 12
    while "inet: memory growth" not in text and time.time() < end:
        time.sleep(0.5)
        with open(log, errors="replace") as f:
            text = f.read()
    line = next((l for l in text.splitlines() if "inet: drops:" in l), "")
    counts = {m.group(1).strip(): int(m.group(2)) for m in re.finditer(r"([a-zA-Z -]+?) (\d+)", line.split("drops:", 1)[-1])}
    if not counts:
        check("the guest's counters in the log", False)
        return
    wanted = {"SYNs over the backlog": 1000, "out of window": 1000, "challenge ACKs": 1, "bad TCP": 10, "TCP checksums": 10,
              "bad IP headers": 30, "IP checksums": 10, "bad UDP": 10, "UDP checksums": 10, "bad ICMP": 10, "bad ARP": 50,
              "fragment overlaps": 20, "no fragment slot": 1, "reassembled": 1, "window probes": 3}
    low = {k: (counts.get(k, 0), v) for k, v in wanted.items() if counts.get(k, 0) < v}
    check("the guest counted what it dropped: %s; each at least %s" % (", ".join("%s %d" % (k, counts.get(k, 0)) for k in wanted),
          "the number wanted" if not low else "its minimum, but " + ", ".join("%s %d < %d" % (k, a, b) for k, (a, b) in low.items())), not low)


def main():
    guest_port, host_port = int(sys.argv[1]), int(sys.argv[2])
    w = Wire(guest_port, host_port)
    started = time.time()
    # The guest is up when it answers ARP.
    while w.guest_mac == BROADCAST and time.time() - started < 120:
        w.frame(struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + HOST_MAC + ip4("10.0.2.20") + b"\0" * 6 + ip4(GUEST_IP), 0x0806, BROADCAST)
        w.poll(0.5)
    check("the guest answered ARP (card %s)" % w.guest_mac.hex(":"), w.guest_mac != BROADCAST)
    if w.guest_mac == BROADCAST:
        return 1

    good = Conn(w, "10.0.2.20", 40000, 7)
    check("the good connection to echo is open", good.open())
    echoed = [0]
    stream = pattern(1 << 20, 1)

    def exercise(label, size=8192):
        at = len(good.out)
        good.queue(stream[at:at + size])
        ok = run_until(w, [good], lambda: len(good.received) >= at + size, 60)
        ok = ok and good.received[:at + size] == stream[:at + size] and good.state == "ESTABLISHED"
        echoed[0] = len(good.received)
        check("good connection after %s: %d bytes echoed in all, every byte matches" % (label, echoed[0]), ok)

    exercise("opening")

    # 1. Malformed frames at every layer (10 of each).
    src, g = "10.0.2.30", GUEST_IP
    syn = tcp_segment(src, g, 999, 7, 1, 0, SYN, 1000, b"\2\4\5\xb4")
    packet = ip_packet(src, g, 6, syn)
    bad = {
        "runt frames (10 bytes)": lambda: w.raw(w.guest_mac + HOST_MAC[:4]),
        "Ethernet headers alone": lambda: w.raw(w.guest_mac + HOST_MAC + b"\x08\x00"),
        "an unknown Ethernet type": lambda: w.frame(packet, 0x88B5),
        "ARP of hardware type 6": lambda: w.frame(arp(6, 6, 4, 1, HOST_MAC, "10.0.2.30"), 0x0806),
        "ARP with bad address lengths": lambda: w.frame(arp(1, 9, 9, 1, HOST_MAC, "10.0.2.30"), 0x0806),
        "ARP operation 7": lambda: w.frame(arp(1, 6, 4, 7, HOST_MAC, "10.0.2.30"), 0x0806),
        "ARP from a group address": lambda: w.frame(arp(1, 6, 4, 1, b"\x01\0\x5e\0\0\1", "10.0.2.30"), 0x0806),
        "ARP claiming the guest's own address": lambda: w.frame(arp(1, 6, 4, 2, HOST_MAC, GUEST_IP), 0x0806),
        "IP version 6 in IPv4": lambda: w.frame(ip_packet(src, g, 6, syn, version_ihl=0x65)),
        "IP header length 8": lambda: w.frame(ip_packet(src, g, 6, syn, version_ihl=0x42)),
        "IP total length past the frame": lambda: w.frame(ip_packet(src, g, 6, syn, total=1400)),
        "IP total length below the header": lambda: w.frame(ip_packet(src, g, 6, syn, total=12)),
        "a truncated IP header": lambda: w.frame(packet[:16]),
        "bad IP checksums": lambda: w.frame(ip_packet(src, g, 6, syn, bad_sum=True)),
        "IP options (record route, 36 bytes)": lambda: w.frame(ip_packet(src, g, 17, udp_datagram(src, g, 5, 9, b"x"), options=b"\7\x27\4" + b"\0" * 33)),
        "bogus IP options (40 bytes of 0xFF)": lambda: w.frame(ip_packet(src, g, 17, udp_datagram(src, g, 5, 9, b"x"), options=b"\xff" * 40)),
        "an unknown IP protocol": lambda: w.frame(ip_packet(src, g, 99, b"hello")),
        "TCP with a bad checksum": lambda: w.frame(ip_packet(src, g, 6, tcp_segment(src, g, 999, 7, 1, 0, SYN, 1000, bad_sum=True))),
        "TCP data offset 8 bytes": lambda: w.frame(ip_packet(src, g, 6, tcp_segment(src, g, 999, 7, 1, 0, SYN, 1000, offset_words=2))),
        "TCP data offset past the segment": lambda: w.frame(ip_packet(src, g, 6, tcp_segment(src, g, 999, 7, 1, 0, SYN, 1000, offset_words=15))),
        "a truncated TCP header": lambda: w.frame(ip_packet(src, g, 6, syn[:12])),
        "TCP from port 0": lambda: w.frame(ip_packet(src, g, 6, tcp_segment(src, g, 0, 7, 1, 0, SYN, 1000))),
        "SYN+FIN+RST+URG to echo": lambda: w.frame(ip_packet(src, g, 6, tcp_segment(src, g, 998, 7, 1, 0, 0x27, 1000))),
        "UDP length past the datagram": lambda: w.frame(ip_packet(src, g, 17, struct.pack("!HHHH", 5, 7, 900, 0) + b"abc")),
        "UDP with a bad checksum": lambda: w.frame(ip_packet(src, g, 17, udp_datagram(src, g, 5, 7, b"abc", bad_sum=True))),
        "a 4-byte UDP header": lambda: w.frame(ip_packet(src, g, 17, b"\0\5\0\7")),
        "a 4-byte ICMP message": lambda: w.frame(ip_packet(src, g, 1, b"\x08\0\0\0")),
        "ICMP with a bad checksum": lambda: w.frame(ip_packet(src, g, 1, icmp_message(8, 0, 1, b"abcdefgh", bad_sum=True))),
        "ICMP unreachable quoting garbage": lambda: w.frame(ip_packet(src, g, 1, icmp_message(3, 4, 576, b"\x4f" + b"\xff" * 27))),
    }
    options = [b"\2\0\5\xb4", b"\2\1", b"\2\x28\5\xb4", b"\2\4\0\0", b"\3\3\xc8", b"\5\x22\0\0", b"\x08\x0a\1\2",
               b"\1" * 40, b"\xfe" * 40, bytes((i * 37) & 0xFF for i in range(40)), b"\4\2" * 20]
    for i, o in enumerate(options):
        bad["SYN to discard with odd options %d" % i] = (lambda o=o, i=i: w.frame(ip_packet("10.0.2.31", g, 6, tcp_segment("10.0.2.31", g, 3000 + i, 9, 5, 0, SYN, 1000, o))))
    for name, send in bad.items():
        for _ in range(10):
            send()
        w.poll(0.01)
    say("sent %d kinds of malformed frames, 10 of each" % len(bad))
    exercise("malformed frames")

    # ARP requests from 2,000 senders: the guest's cache (32 entries) churns, the good peer's
    # entry among them; the guest must ask for it again.
    for k in range(2000):
        mac = bytes([2, 0, 0, 0, k >> 8, k & 0xFF])
        w.frame(struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + mac + ip4("10.1.%d.%d" % (k >> 8, 1 + (k & 0xFF) % 250)) + b"\0" * 6 + ip4(g), 0x0806, BROADCAST)
        if k % 100 == 99:
            w.poll(0.01)
    asked = w.asked.get("10.0.2.20", 0)
    say("sent ARP requests from 2,000 senders")
    exercise("an ARP flood")
    check("the guest asked for the good peer's address again after the flood (%d times before it, %d after)"
          % (asked, w.asked.get("10.0.2.20", 0) - asked), w.asked.get("10.0.2.20", 0) > asked)

    # 2. Fragments: a fragmented echo request is answered; overlapping ones are not; a flood of heads.
    def fragmented_ping(ident, overlap):
        data = pattern(1392, ident)
        m = icmp_message(8, 0, 0x4800 << 16 | ident, data)
        w.icmp.clear()
        w.ip("10.0.2.32", 1, m[:800], ident=ident, frag=0x2000)
        second = m[792:] if overlap else m[800:]
        w.ip("10.0.2.32", 1, second, ident=ident, frag=(792 if overlap else 800) // 8)
        w.poll(1.0)
        return [x for x in w.icmp if x[0] == 0 and x[2][8:] == data]
    check("a fragmented echo request (two fragments, 1400 bytes) answered", len(fragmented_ping(1, False)) == 1)
    check("overlapping fragments (8 bytes in both) give no answer", len(fragmented_ping(2, True)) == 0)
    for k in range(100):      # tiny fragments, each overlapping the one before
        w.ip("10.0.2.34", 17, b"y" * 16, ident=7, frag=0x2000 | (k % 50))
    for k in range(300):      # then more datagrams than the guest reassembles at once, none completed
        w.ip("10.0.2.33", 17, udp_datagram("10.0.2.33", g, 5, 7, b"x" * 1000)[:1000], ident=1000 + k, frag=0x2000)
    say("sent 100 tiny fragments each overlapping the one before, then 300 fragment heads that never complete")
    exercise("fragments")

    # 3. A peer that advertises a zero window for ever (it sends to echo; the echo cannot come back).
    zero = Conn(w, "10.0.2.40", 41000, 7, window=0)
    check("the zero-window peer's connection is open", zero.open())
    zero.peer_window = 65535
    zero.queue(pattern(40000, 3))
    # 4. A peer that never ACKs what chargen sends it.
    mute = Conn(w, "10.0.2.41", 42000, 19, ack_data=False)
    check("the never-ACK peer's connection is open", mute.open())
    run_until(w, [good, zero], lambda: False, 3)
    exercise("opening the zero-window and never-ACK peers")

    # 5. Out-of-window and blind RSTs and ACKs on the good connection; in-window RSTs draw challenge ACKs.
    before = len(good.segments)
    for k in range(1000):
        far = rng.randrange(1 << 20)
        good.send_raw(RST, seq=good.snd_nxt + 0x40000000 + far, ack=0)
        good.send_raw(ACK, seq=good.snd_nxt - 0x40000000 - far, ack=good.rcv_nxt + 0x40000000)
        if k % 50 == 0:
            w.poll(0.01)
    w.poll(1.0)
    answers = len(good.segments) - before
    check("2,000 out-of-window RSTs and ACKs: the connection lives, %d ACKs came back" % answers, good.state == "ESTABLISHED")
    before, phase = len(good.segments), time.time()
    for k in range(300):
        good.send_raw(RST, seq=good.snd_nxt + 1 + k, ack=0)
        good.send_raw(ACK | PSH, seq=good.snd_nxt, ack=good.rcv_nxt + 100000, data=b"Z")
    w.poll(1.5)
    challenges, bound = len(good.segments) - before, 100 * (int(time.time() - phase) + 2)
    check("300 in-window RSTs and 300 ACKs of unsent data: %d challenge ACKs (at most 100 a second: %d in these %.1f s), the connection lives"
          % (challenges, bound, time.time() - phase), good.state == "ESTABLISHED" and 0 < challenges <= bound)
    exercise("out-of-window and in-window RSTs and ACKs")

    # 6. 10,000 SYNs to discard (backlog 64) from spoofed sources, the good connection working between bursts.
    flood_start = time.time()
    stray_before = dict(w.stray)
    for burst in range(50):
        for k in range(200):
            a = rng.randrange(1, 1 << 16)
            s = "198.18.%d.%d" % (a >> 8, a & 0xFF)
            w.ip(s, 6, tcp_segment(s, g, rng.randrange(1024, 65536), 9, rng.randrange(1 << 32), 0, SYN, 29200,
                                   b"\2\4\5\xb4\4\2\x08\x0a" + struct.pack("!II", rng.randrange(1 << 32), 0) + b"\1\3\3\7"))
        run_until(w, [good, zero], lambda: False, 0.05)
        if burst % 10 == 9:
            at = len(good.out)
            good.queue(stream[at:at + 2000])
    synacks = w.stray.get("SYN-ACK", 0) - stray_before.get("SYN-ACK", 0)
    say("10,000 SYNs sent in %.1f s; %d SYN-ACKs came back (the backlog of 64 and their retries)" % (time.time() - flood_start, synacks))
    exercise("the SYN flood")
    fresh = Conn(w, "10.0.2.42", 43000, 19)
    check("a new connection to chargen during the flood's aftermath opens", fresh.open(30))
    run_until(w, [good, zero, fresh], lambda: len(fresh.received) >= 20000, 30)
    check("chargen sent %d bytes on the new connection (20,000 wanted)" % len(fresh.received), len(fresh.received) >= 20000)
    fresh.reset()

    # The zero-window peer: the guest probed and never gave up; the never-ACK peer: retransmissions backing off.
    def probes_of(c):
        return [s[0] for s in c.segments if s[5] == 0 and s[1] == (c.rcv_nxt - 1) & 0xFFFFFFFF]

    def first_sends(c):
        data = [s for s in c.segments if s[5] > 0]
        return [s[0] for s in data if s[1] == data[0][1]] if data else []
    run_until(w, [good, zero], lambda: len(probes_of(zero)) >= 5 and len(first_sends(mute)) >= 5, 30)
    probes = probes_of(zero)
    gaps = [round((b - a) * 1000) for a, b in zip(probes, probes[1:])]
    check("the zero-window peer: %d window probes from the guest, gaps %s ms (backing off), the connection open after %.0f s"
          % (len(probes), gaps, time.time() - started),
          zero.state == "ESTABLISHED" and len(probes) >= 5 and backing_off(gaps))
    times = first_sends(mute)
    gaps = [round((b - a) * 1000) for a, b in zip(times, times[1:])]
    check("the never-ACK peer: its first segment sent %d times, gaps %s ms (growing), the connection still open"
          % (len(times), gaps), mute.state == "ESTABLISHED" and len(times) >= 5 and backing_off(gaps))
    zero.reset()
    mute.reset()

    # The end: a last echo on the good connection, then it is closed from our side.
    exercise("everything", 65536)
    good.close()
    run_until(w, [good], lambda: good.fin_in, 30)
    check("the good connection closed by us, the guest's FIN came back; %d bytes echoed in all" % len(good.received), good.fin_in)
    run_until(w, [good], lambda: False, 1)
    if len(sys.argv) > 3:
        guest_counters(sys.argv[3])
    say("sent %d frames in all in %.0f s; frames no connection took: %s" % (w.sent, time.time() - started, dict(sorted(w.stray.items()))))
    say("%d checks failed" % failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
