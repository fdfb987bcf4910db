#!/usr/bin/env python3
# The host side of the TCP boot tests (tests/Boot/net-tcp*.test): waits for the guest's inet
# service in the serial log, then through QEMU's user network (libslirp's TCP, host ports
# PORT, PORT+1, PORT+2 forwarded to the guest's 7, 9, 19) runs echo rounds with 1, 16 and 256
# concurrent connections, TOTAL bytes each way per round split across the connections and
# checked by SHA-256, then discard, chargen and UDP echo. Prints "host: ..." lines.
# usage: tools/nettcp.py LOG PORT [TOTAL_MIB] [ROUNDS]   (ROUNDS: comma-separated, default 1,16,256)
import hashlib, os, random, selectors, socket, sys, time

def wait_ready(log, seconds=60):
    end = time.time() + seconds
    while time.time() < end:
        try:
            with open(log, errors="replace") as f:
                if "inet: ready" in f.read():
                    return True
        except OSError:
            pass
        time.sleep(0.2)
    return False

def echo_round(port, conns, total):
    share = total // conns
    sel = selectors.DefaultSelector()
    state = []
    for i in range(conns):
        s = socket.create_connection(("127.0.0.1", port), timeout=30)
        s.setblocking(False)
        data = random.Random(i * 7919 + conns).randbytes(share)
        st = {"s": s, "data": data, "sent": 0, "got": hashlib.sha256(), "n": 0, "eof": False, "shut": False}
        state.append(st)
        sel.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE, st)
    start = time.time()
    deadline = start + 240
    open_ = conns
    while open_ > 0 and time.time() < deadline:
        for key, ev in sel.select(timeout=1):
            st = key.data
            s = st["s"]
            if ev & selectors.EVENT_WRITE and st["sent"] < share:
                try:
                    st["sent"] += s.send(st["data"][st["sent"]:st["sent"] + 65536])
                except BlockingIOError:
                    pass
                if st["sent"] == share and not st["shut"]:
                    s.shutdown(socket.SHUT_WR)
                    st["shut"] = True
                    sel.modify(s, selectors.EVENT_READ, st)
            if ev & selectors.EVENT_READ:
                try:
                    chunk = s.recv(262144)
                except BlockingIOError:
                    continue
                except ConnectionError as e:
                    print(f"host: tcp echo: connection error {e}")
                    chunk = b""
                if chunk:
                    st["got"].update(chunk)
                    st["n"] += len(chunk)
                else:
                    sel.unregister(s)
                    s.close()
                    st["eof"] = True
                    open_ -= 1
    secs = time.time() - start
    good = sum(1 for st in state if st["eof"] and st["n"] == share and st["got"].digest() == hashlib.sha256(st["data"]).digest())
    moved = sum(st["n"] for st in state)
    verdict = "sha256 match" if good == conns else f"MISMATCH ({good} of {conns} intact)"
    print(f"host: tcp echo: {conns} connections, {share * conns} bytes each way, {verdict}, "
          f"{secs:.1f} s ({moved / secs / 1e6:.1f} MB/s each way)", flush=True)
    for st in state:
        if not st["eof"]:
            st["s"].close()

def discard(port, size):
    s = socket.create_connection(("127.0.0.1", port + 1), timeout=30)
    s.sendall(random.Random(5).randbytes(size))
    s.shutdown(socket.SHUT_WR)
    rest = s.recv(10)
    s.close()
    print(f"host: tcp discard: {size} bytes sent, {len(rest)} bytes back, closed cleanly", flush=True)

def chargen(port, size):
    s = socket.create_connection(("127.0.0.1", port + 2), timeout=30)
    got = b""
    while len(got) < size:
        chunk = s.recv(65536)
        if not chunk:
            break
        got += chunk
    s.close()
    expect = bytearray()
    line = 0
    while len(expect) < len(got):
        expect += bytes(32 + (line + c) % 95 for c in range(72)) + b"\r\n"
        line += 1
    ok = len(got) >= size and got == bytes(expect[:len(got)])
    print(f"host: tcp chargen: {len(got)} bytes, {'RFC 864 pattern' if ok else 'MISMATCH'}", flush=True)

def udp(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(2)
    for attempt in range(5):
        s.sendto(b"datagram over the stack", ("127.0.0.1", port))
        try:
            data, _ = s.recvfrom(2048)
            print(f"host: udp echo: {'came back unchanged' if data == b'datagram over the stack' else 'MISMATCH'}", flush=True)
            return
        except socket.timeout:
            pass
    print("host: udp echo: MISMATCH (no answer)", flush=True)

def main():
    log, port = sys.argv[1], int(sys.argv[2])
    total = int(sys.argv[3]) << 20 if len(sys.argv) > 3 else 64 << 20
    rounds = [int(x) for x in sys.argv[4].split(",")] if len(sys.argv) > 4 else [1, 16, 256]
    if not wait_ready(log):
        print("host: MISMATCH: the guest's inet service never became ready")
        return
    udp(port)
    for conns in rounds:
        echo_round(port, conns, total)
    discard(port, 1 << 20)
    chargen(port, 1 << 20)

main()
