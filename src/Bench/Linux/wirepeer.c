/* The Linux end of the guest-to-guest wire (tools/wire.sh): a static client and server that
 * talk to ExOS's TCP/IP stack, and the Linux near end of make bench's tcp_rr and tcp_crr.
 * Data is a seeded pattern (xorshift64, 8 bytes little-endian per step; src/Apps/Net/
 * WirePattern.cs and tools/wire.sh generate the same), written to stdout where a test hashes it.
 * Modes (messages on stderr, one line each, prefixed "wirepeer:"):
 *   pattern BYTES SEED            the pattern to stdout
 *   echo HOST PORT BYTES SEED     send the pattern, shut down sending, copy what comes back to stdout
 *   send HOST PORT BYTES SEED     send the pattern, shut down sending, expect the peer to close
 *   read HOST PORT BYTES          copy BYTES to stdout, then close while the peer still sends
 *   sink PORT                     accept one connection, copy it to stdout until the peer closes
 *   source PORT BYTES SEED        accept one connection, send the pattern, shut down, wait for the peer's close
 *   chargen PORT BYTES            accept one connection, send BYTES of RFC 864's pattern (as inet's
 *                                 chargen computes it, byte by byte), shut down, wait for the peer's close
 *   rrserver PORT                 accept connections one after another, echo each until it closes
 *   rr HOST PORT N                one connection, N 1-byte requests and 1-byte replies
 *   crr HOST PORT N               N times: connect, a 1-byte request and reply, close
 * rr and crr print "BENCH <op> ns=<per op> busy=<per op>": wall time per operation and busy time
 * per operation (wall minus the idle time /proc/stat gives, 10 ms resolution; under
 * -icount shift=0 a nanosecond of virtual time is one guest instruction). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what) { fprintf(stderr, "wirepeer: %s: %s\n", what, strerror(errno)); exit(1); }

struct pattern { uint64_t x; uint64_t at; uint8_t block[8]; };

static void pattern_init(struct pattern *p, uint64_t seed) { p->x = seed ? seed : 1; p->at = 0; }

static void pattern_fill(struct pattern *p, uint8_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++, p->at++) {
        if (p->at % 8 == 0) {
            p->x ^= p->x << 13; p->x ^= p->x >> 7; p->x ^= p->x << 17;
            for (int k = 0; k < 8; k++) p->block[k] = (uint8_t)(p->x >> (8 * k));
        }
        out[i] = p->block[p->at % 8];
    }
}

static void write_all(int fd, const uint8_t *b, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, b, n);
        if (w < 0) { if (errno == EINTR) continue; die("write"); }
        b += w; n -= (size_t)w;
    }
}

static int connect_to(const char *host, int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) die("socket");
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    if (inet_pton(AF_INET, host, &a.sin_addr) != 1) { fprintf(stderr, "wirepeer: bad address %s\n", host); exit(2); }
    for (int tries = 0;; tries++) {
        if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0) return fd;
        if (tries >= 50 || (errno != ECONNREFUSED && errno != ETIMEDOUT && errno != EHOSTUNREACH)) die("connect");
        close(fd);
        if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0) die("socket");
        sleep(1);
    }
}

static int listen_on(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    if (fd < 0) die("socket");
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port), .sin_addr.s_addr = htonl(INADDR_ANY) };
    if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) die("bind");
    if (listen(fd, 16) < 0) die("listen");
    return fd;
}

/* Sends BYTES of the pattern (0: nothing) while copying what arrives to stdout (when copy),
 * shuts down sending after the last byte, returns the bytes received up to the peer's close. */
static uint64_t exchange(int fd, uint64_t bytes, uint64_t seed, int copy)
{
    static uint8_t out[65536], in[65536];
    struct pattern p; pattern_init(&p, seed);
    uint64_t sent = 0, received = 0; size_t pending = 0, off = 0;
    int sending = 1;
    if (bytes == 0) { shutdown(fd, SHUT_WR); sending = 0; }
    for (;;) {
        struct pollfd pf = { .fd = fd, .events = POLLIN | (sending ? POLLOUT : 0) };
        if (poll(&pf, 1, 60000) <= 0) { fprintf(stderr, "wirepeer: stalled: sent %llu, received %llu\n", (unsigned long long)sent, (unsigned long long)received); exit(1); }
        if (pf.revents & POLLIN || (pf.revents & (POLLERR | POLLHUP) && !(pf.revents & POLLOUT))) {
            ssize_t r = read(fd, in, sizeof in);
            if (r < 0) die("read");
            if (r == 0) break;
            received += (uint64_t)r;
            if (copy) write_all(1, in, (size_t)r);
        }
        if (sending && pf.revents & POLLOUT) {
            if (off == pending) {
                uint64_t left = bytes - sent;
                pending = left < sizeof out ? (size_t)left : sizeof out;
                pattern_fill(&p, out, pending); off = 0;
            }
            ssize_t w = write(fd, out + off, pending - off);
            if (w < 0) die("write");
            off += (size_t)w; sent += (uint64_t)w;
            if (sent == bytes) { shutdown(fd, SHUT_WR); sending = 0; }
        }
    }
    return received;
}

static int accept_one(int listener)
{
    int fd = accept(listener, NULL, NULL);
    if (fd < 0) die("accept");
    return fd;
}

static double now_ns(void)
{
    struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

/* The system's idle time so far in nanoseconds (/proc/stat's cpu line: idle and iowait). */
static double idle_ns(void)
{
    FILE *f = fopen("/proc/stat", "r");
    unsigned long long user, nice, sys, idle, iowait;
    if (!f || fscanf(f, "cpu %llu %llu %llu %llu %llu", &user, &nice, &sys, &idle, &iowait) != 5) die("/proc/stat");
    fclose(f);
    return (double)(idle + iowait) * 1e9 / (double)sysconf(_SC_CLK_TCK);
}

static void round_trip(int fd)
{
    uint8_t b = 'x';
    if (write(fd, &b, 1) != 1) die("write");
    if (read(fd, &b, 1) != 1) { fprintf(stderr, "wirepeer: no reply\n"); exit(1); }
}

int main(int argc, char **argv)
{
    if (argc < 3) { fprintf(stderr, "usage: wirepeer MODE ARGS (see the source)\n"); return 2; }
    const char *mode = argv[1];
    if (!strcmp(mode, "pattern") && argc == 4) {
        static uint8_t b[65536]; struct pattern p; pattern_init(&p, strtoull(argv[3], 0, 0));
        for (uint64_t left = strtoull(argv[2], 0, 0); left > 0;) {
            size_t n = left < sizeof b ? (size_t)left : sizeof b;
            pattern_fill(&p, b, n); write_all(1, b, n); left -= n;
        }
        return 0;
    }
    if ((!strcmp(mode, "echo") || !strcmp(mode, "send")) && argc == 6) {
        int fd = connect_to(argv[2], atoi(argv[3]));
        uint64_t bytes = strtoull(argv[4], 0, 0);
        uint64_t back = exchange(fd, bytes, strtoull(argv[5], 0, 0), !strcmp(mode, "echo"));
        close(fd);
        fprintf(stderr, "wirepeer: %s: sent %llu bytes to %s:%s, %llu came back, the peer closed after us\n", mode,
                (unsigned long long)bytes, argv[2], argv[3], (unsigned long long)back);
        return 0;
    }
    if (!strcmp(mode, "read") && argc == 5) {
        int fd = connect_to(argv[2], atoi(argv[3]));
        static uint8_t b[65536];
        uint64_t want = strtoull(argv[4], 0, 0), got = 0;
        while (got < want) {
            ssize_t r = read(fd, b, want - got < sizeof b ? (size_t)(want - got) : sizeof b);
            if (r <= 0) { fprintf(stderr, "wirepeer: read: the stream ended after %llu bytes\n", (unsigned long long)got); return 1; }
            write_all(1, b, (size_t)r); got += (uint64_t)r;
        }
        close(fd);
        fprintf(stderr, "wirepeer: read: %llu bytes from %s:%s, then we closed while it was sending\n", (unsigned long long)got, argv[2], argv[3]);
        return 0;
    }
    if (!strcmp(mode, "sink") && argc == 3) {
        int fd = accept_one(listen_on(atoi(argv[2])));
        uint64_t got = exchange(fd, 0, 0, 1);
        close(fd);
        fprintf(stderr, "wirepeer: sink: %llu bytes received, the peer closed first\n", (unsigned long long)got);
        return 0;
    }
    if (!strcmp(mode, "source") && argc == 5) {
        int fd = accept_one(listen_on(atoi(argv[2])));
        uint64_t bytes = strtoull(argv[3], 0, 0);
        uint64_t back = exchange(fd, bytes, strtoull(argv[4], 0, 0), 0);
        close(fd);
        fprintf(stderr, "wirepeer: source: %llu bytes sent, we closed first, %llu came back\n", (unsigned long long)bytes, (unsigned long long)back);
        return 0;
    }
    if (!strcmp(mode, "chargen") && argc == 4) {
        int fd = accept_one(listen_on(atoi(argv[2])));
        static uint8_t b[16384];
        uint64_t bytes = strtoull(argv[3], 0, 0), at = 0;
        while (at < bytes) {
            size_t n = bytes - at < sizeof b ? (size_t)(bytes - at) : sizeof b;
            for (size_t k = 0; k < n; k++, at++) {
                uint32_t line = (uint32_t)(at / 74), column = (uint32_t)(at % 74);
                b[k] = column == 72 ? 13 : column == 73 ? 10 : (uint8_t)(32 + (line + column) % 95);
            }
            write_all(fd, b, n);
        }
        shutdown(fd, SHUT_WR);
        while (read(fd, b, sizeof b) > 0) {}
        close(fd);
        fprintf(stderr, "wirepeer: chargen: %llu bytes sent\n", (unsigned long long)bytes);
        return 0;
    }
    if (!strcmp(mode, "rrserver") && argc == 3) {
        int listener = listen_on(atoi(argv[2]));
        for (;;) {
            int fd = accept_one(listener), one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            uint8_t b[256];
            ssize_t r;
            while ((r = read(fd, b, sizeof b)) > 0) write_all(fd, b, (size_t)r);
            close(fd);
        }
    }
    if ((!strcmp(mode, "rr") || !strcmp(mode, "crr")) && argc == 5) {
        int port = atoi(argv[3]), n = atoi(argv[4]), one = 1, fd = -1;
        if (n <= 0) { fprintf(stderr, "wirepeer: N must be positive\n"); return 2; }
        if (!strcmp(mode, "rr")) {
            fd = connect_to(argv[2], port);
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            round_trip(fd);                          /* warm: ARP and the first segments */
        }
        double t0 = now_ns(), i0 = idle_ns();
        for (int i = 0; i < n; i++) {
            if (fd < 0) {
                int c = connect_to(argv[2], port);
                setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                round_trip(c);
                close(c);
            } else round_trip(fd);
        }
        double wall = now_ns() - t0, idle = idle_ns() - i0;
        if (fd >= 0) close(fd);
        printf("BENCH tcp_%s ns=%.0f busy=%.0f n=%d idle_ms=%.0f\n", mode, wall / n, (wall - idle) / n, n, idle / 1e6);
        return 0;
    }
    fprintf(stderr, "wirepeer: unknown mode or wrong arguments: %s\n", mode);
    return 2;
}
