#!/usr/bin/env python3
# The host side of tests/Boot/cheetah-http.test: waits for Cheetah in the serial log, then through
# QEMU's user network (host PORT forwarded to the guest's port 80) checks with curl: GET, HEAD,
# one range and one past the end, If-None-Match and If-Modified-Since (304), keep-alive (two
# requests, one connection), 400 (no Host), 404 (missing, a path escaping the site, symbolic
# links out of it), 405, a 0-byte and a multi-MiB file byte-exact by SHA-256, wget resuming a
# download (Range); then with raw
# sockets: pipelining, MAX concurrent keep-alive connections, a reset in the middle of a
# response, garbage bytes, a 1 MiB header, slowloris (408), an idle connection, the connection
# limit (503); and GET again. Prints "host: ..." lines with what it saw, and the number of
# connections it made (the guest exits after that many).
# usage: tools/cheetah-http.py LOG PORT SITE MAX   (SITE: the host copy of the site; MAX: the guest's max=)
import hashlib, os, random, socket, struct, subprocess, sys, tempfile, threading, time

log, port, site, limit = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
base = f"http://127.0.0.1:{port}"
connections = 0

def wait_ready(seconds=90):
    end = time.time() + seconds
    while time.time() < end:
        try:
            with open(log, errors="replace") as f:
                if "cheetah: ready" in f.read():
                    return True
        except OSError:
            pass
        time.sleep(0.2)
    return False

def curl(*args, connects=1):
    """curl's output (bytes); every call counts its connections."""
    global connections
    connections += connects
    r = subprocess.run(["curl", "-s", "--max-time", "60", *args], capture_output=True)
    return r.stdout

def fetch(*args):
    """One curl request: (status line, fields with lower-case names, body)."""
    global connections
    connections += 1
    r = subprocess.run(["curl", "-s", "--max-time", "60", "-D", "/dev/stdout", "-o", "/dev/stderr", *args], capture_output=True)
    status, fields = head_fields(r.stdout)
    return status, fields, r.stderr

def first_line(got):
    return got.split(b"\r\n")[0].decode("latin-1")

def head_fields(raw):
    text = raw.decode("latin-1")
    lines = text.split("\r\n")
    fields = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            fields[k.strip().lower()] = v.strip()
    return lines[0], fields

def sha(data):
    return hashlib.sha256(data).hexdigest()

def raw(payload, read_for=5.0):
    """One connection: sends payload, reads until the server closes or read_for seconds pass."""
    global connections
    connections += 1
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    got = b""
    try:
        if payload:
            s.sendall(payload)
        s.settimeout(0.5)
        end = time.time() + read_for
        while time.time() < end:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                continue
            if not chunk:
                break
            got += chunk
    except (ConnectionError, OSError) as e:
        got += f"[{type(e).__name__}]".encode()
    finally:
        s.close()
    return got

def keepalive(requests, files, results, slot):
    """One connection making requests one after another; results[slot]: how many came back exact."""
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    good = 0
    buffer = b""
    try:
        for i in range(requests):
            name = list(files)[i % len(files)]
            s.sendall(f"GET /{name} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            while b"\r\n\r\n" not in buffer:
                chunk = s.recv(65536)
                if not chunk:
                    raise ConnectionError("closed")
                buffer += chunk
            head, buffer = buffer.split(b"\r\n\r\n", 1)
            length = int([l for l in head.split(b"\r\n") if l.lower().startswith(b"content-length:")][0].split(b":")[1])
            while len(buffer) < length:
                chunk = s.recv(65536)
                if not chunk:
                    raise ConnectionError("closed")
                buffer += chunk
            body, buffer = buffer[:length], buffer[length:]
            if head.startswith(b"HTTP/1.1 200 OK") and body == files[name]:
                good += 1
    except (ConnectionError, OSError):
        pass
    finally:
        s.close()
    results[slot] = good

if not wait_ready():
    print("host: cheetah never said ready")
    sys.exit(1)

index = open(os.path.join(site, "index.html"), "rb").read()
big = open(os.path.join(site, "big.bin"), "rb").read()

status, f, body = fetch(f"{base}/")
print(f"host: GET / -> {status}, {f.get('content-type')}, {f.get('content-length')} bytes, body {'matches index.html' if body == index else 'MISMATCH'}")

status, f, body = fetch("-I", f"{base}/big.bin")
print(f"host: HEAD /big.bin -> {status}, Content-Length {f.get('content-length')}, Accept-Ranges {f.get('accept-ranges')}")

status, f, part = fetch("-r", "1000-1999", f"{base}/big.bin")
print(f"host: GET /big.bin Range 1000-1999 -> {status}, Content-Range {f.get('content-range')}, {len(part)} bytes {'match' if part == big[1000:2000] else 'MISMATCH'}")
status, f, _ = fetch("-r", f"{len(big)}-", f"{base}/big.bin")
print(f"host: GET /big.bin Range {len(big)}- -> {status}, Content-Range {f.get('content-range')}")

status, f, _ = fetch("-I", f"{base}/index.html")
etag, modified = f.get("etag"), f.get("last-modified")
status, _, body = fetch("-H", f"If-None-Match: {etag}", f"{base}/index.html")
print(f"host: If-None-Match {etag} -> {status}, {len(body)} body bytes")
status, _, body = fetch("-H", f"If-Modified-Since: {modified}", f"{base}/index.html")
print(f"host: If-Modified-Since {modified} -> {status}, {len(body)} body bytes")

out = curl("-o", "/dev/null", "-o", "/dev/null", "-w", "%{http_code} %{num_connects}\\n", f"{base}/index.html", f"{base}/docs/a.txt").decode().split()
print(f"host: keep-alive: codes {out[0]} {out[2]}, new connections {out[1]} then {out[3]}")

status, _, _ = fetch("-H", "Host:", f"{base}/index.html")
print(f"host: no Host -> {status}")
status, _, _ = fetch(f"{base}/nope.html")
print(f"host: GET /nope.html -> {status}")
status, _, _ = fetch("--path-as-is", f"{base}/docs/../../etc/passwd")
print(f"host: GET /docs/../../etc/passwd -> {status}")
status, _, _ = fetch(f"{base}/leak.txt")
print(f"host: GET /leak.txt (a symbolic link to ../secret.txt) -> {status}")
status, _, _ = fetch(f"{base}/up/secret.txt")
print(f"host: GET /up/secret.txt (through a symbolic link to ..) -> {status}")
status, f, _ = fetch("-X", "POST", "-d", "x=1", f"{base}/index.html")
print(f"host: POST -> {status}, Allow {f.get('allow')}")

status, f, empty = fetch(f"{base}/empty")
print(f"host: GET /empty -> {status}, Content-Length {f.get('content-length')}, sha256 {'match' if sha(empty) == sha(b'') else 'MISMATCH'}")
start = time.time()
status, f, got = fetch(f"{base}/big.bin")
took = time.time() - start
print(f"host: GET /big.bin -> {status}, {len(got)} bytes in {took:.1f} s, sha256 {'match' if sha(got) == sha(big) else 'MISMATCH'}")

# wget resuming a download: the first MiB already on disk, the rest fetched with a Range request.
with tempfile.TemporaryDirectory() as d:
    partial = os.path.join(d, "big.bin")
    with open(partial, "wb") as f:
        f.write(big[:1 << 20])
    r = subprocess.run(["wget", "-c", "-S", "-q", "-T", "60", "-O", partial, f"{base}/big.bin"], capture_output=True)
    connections += 1
    statuses = [l.strip() for l in r.stderr.decode("latin-1").splitlines() if l.strip().startswith("HTTP/")]
    whole = open(partial, "rb").read()
    print(f"host: wget -c after 1 MiB -> {' '.join(statuses)}, {len(whole)} bytes, sha256 {'match' if sha(whole) == sha(big) else 'MISMATCH'}")

one = b"GET /docs/a.txt HTTP/1.1\r\nHost: x\r\n\r\n"
got = raw(one + one + b"HEAD /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
print(f"host: pipelined 3 requests -> {got.count(b'HTTP/1.1 200 OK')} responses 200, closed after the last: {got.rstrip().endswith(b'Connection: close')}")

files = {"index.html": index, "docs/a.txt": open(os.path.join(site, "docs", "a.txt"), "rb").read()}
results = [0] * limit
threads = [threading.Thread(target=keepalive, args=(25, files, results, i)) for i in range(limit)]
start = time.time()
for t in threads:
    t.start()
for t in threads:
    t.join()
connections += limit
print(f"host: {limit} concurrent keep-alive connections: {sum(results)} of {25 * limit} responses exact in {time.time() - start:.1f} s")

connections += 1
s = socket.create_connection(("127.0.0.1", port), timeout=30)
s.sendall(b"GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
got = b""
while len(got) < 100000:
    got += s.recv(65536)
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
s.close()
time.sleep(1)
status, _, body = fetch(f"{base}/index.html")
print(f"host: reset after {len(got)} bytes of /big.bin, then GET /index.html -> {status}, body {'matches' if body == index else 'MISMATCH'}")

got = raw(random.Random(1).randbytes(3000) + b"\r\n\r\n")
print(f"host: garbage bytes -> {first_line(got)}")
got = raw(b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (1 << 20) + b"\r\n\r\n", read_for=10)
print(f"host: 1 MiB header -> {first_line(got)}")
start = time.time()
connections += 1
s = socket.create_connection(("127.0.0.1", port), timeout=30)
s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
s.settimeout(1.0)
got, sent = b"", 0
while time.time() < start + 20:
    try:
        s.sendall(b"X-Slow: %d\r\n" % sent)       # slowloris: a field line a second, never the end
        sent += 1
    except OSError:
        pass
    try:
        chunk = s.recv(65536)
        if not chunk:
            break
        got += chunk
    except socket.timeout:
        pass
    except OSError:
        break
s.close()
print(f"host: slowloris (a field line a second) -> {first_line(got)} after {time.time() - start:.0f} s, {sent} lines sent")
start = time.time()
got = raw(b"", read_for=15)
print(f"host: idle connection -> closed by the server after {time.time() - start:.0f} s with {len(got)} bytes")

held = []
for i in range(limit):
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    s.sendall(b"GET / HTTP/1.1\r\n")
    held.append(s)
    connections += 1
time.sleep(1.0)
got = raw(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", read_for=5)
print(f"host: connection {limit + 1} of {limit} allowed -> {first_line(got)}")
for s in held:
    s.close()
time.sleep(1)

body = curl(f"{base}/")
print(f"host: after the hostile clients: GET / {'matches index.html' if body == index else 'MISMATCH'}")
print(f"host: {connections} connections made")
