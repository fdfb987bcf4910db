#!/usr/bin/env python3
# The host side of tests/Boot/cheetah-fixed.test: the HTTP benchmark's ceiling (`cheetah
# fixed=100`, src/Apps/Cheetah/FixedReply.cs) must answer every request end with the same reply.
# Three pipelined requests in 1-byte writes on one connection (each request end split across
# segments), then one request on a second connection; each reply compared byte by byte.
# usage: tools/cheetah-fixed.py GUEST-LOG HTTP-PORT
import socket, sys, time

log, port = sys.argv[1], int(sys.argv[2])
for _ in range(600):
    if 'cheetah: ready' in open(log, errors='replace').read(): break
    time.sleep(0.2)
head = b'HTTP/1.1 200 OK\r\nServer: Cheetah\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 100\r\n\r\n'
reply = head + bytes(97 + (len(head) + i) % 26 for i in range(100))

def run(requests, slow):
    s = socket.create_connection(('127.0.0.1', port), timeout=20)
    data = b''.join(b'GET /%d HTTP/1.1\r\nHost: x\r\n\r\n' % i for i in range(requests))
    if slow:
        for i in range(len(data)):
            s.send(data[i:i + 1])
            time.sleep(0.002)
    else:
        s.sendall(data)
    got = b''
    while len(got) < requests * len(reply):
        b = s.recv(65536)
        if not b: break
        got += b
    s.close()
    return got

got = run(3, True)
print('host: 3 pipelined requests in 1-byte writes -> %d bytes, %s' % (len(got), 'exact' if got == reply * 3 else 'MISMATCH'))
got = run(1, False)
print('host: second connection -> %d bytes, %s' % (len(got), 'exact' if got == reply else 'MISMATCH'))
