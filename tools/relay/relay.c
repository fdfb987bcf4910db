/* The impairment relay for the guest-to-guest wire (tools/wire.sh): sits between two QEMU dgram
 * netdevs and forwards each Ethernet frame (one UDP datagram) to the other side, dropping,
 * duplicating, reordering (holding a frame back so later ones overtake it), corrupting (one
 * byte flipped) and delaying at the given rates, from a seeded generator, so a run can be
 * repeated. Frames are forwarded in order of their send times from a bounded queue (a frame
 * that finds it full is dropped and counted).
 * usage: relay A_LISTEN A_PEER B_LISTEN B_PEER SEED DROP DUP REORDER CORRUPT DELAY_MS
 *   frames arriving on 127.0.0.1:A_LISTEN go to 127.0.0.1:B_PEER from B_LISTEN, and the other
 *   way; rates are fractions (0.05 = 5%); DELAY_MS is added to every frame, a reordered frame
 *   waits 1-20 ms more. Runs until SIGTERM or SIGINT, then prints its counters per direction. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define QUEUE 4096
#define FRAME 2048

struct pending { double at; int to; uint16_t length; uint8_t data[FRAME]; };
struct counts { unsigned long frames, dropped, duplicated, reordered, corrupted, full; };

static struct pending queue[QUEUE];
static int queued;
static volatile sig_atomic_t stop;
static uint64_t rng;

static uint64_t next(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng; }
static double uniform(void) { return (double)(next() >> 11) / 9007199254740992.0; }
static double now_ms(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1e3 + t.tv_nsec / 1e6; }
static void on_signal(int s) { (void)s; stop = 1; }

static int bound(int port)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    int size = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0) { perror("relay: bind"); exit(1); }
    return fd;
}

static void enqueue(double at, int to, const uint8_t *data, size_t length, struct counts *c)
{
    if (queued == QUEUE) { c->full++; return; }
    int i = queued++;
    while (i > 0 && queue[i - 1].at > at) { queue[i] = queue[i - 1]; i--; }   /* keep sorted by time */
    queue[i].at = at; queue[i].to = to; queue[i].length = (uint16_t)length;
    memcpy(queue[i].data, data, length);
}

int main(int argc, char **argv)
{
    if (argc != 11) { fprintf(stderr, "usage: relay A_LISTEN A_PEER B_LISTEN B_PEER SEED DROP DUP REORDER CORRUPT DELAY_MS\n"); return 2; }
    int sa = bound(atoi(argv[1])), sb = bound(atoi(argv[3]));
    struct sockaddr_in peer[2] = {
        { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[2])), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) },
        { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[4])), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) } };
    rng = strtoull(argv[5], 0, 0) | 1;
    double drop = atof(argv[6]), dup = atof(argv[7]), reorder = atof(argv[8]), corrupt = atof(argv[9]), delay = atof(argv[10]);
    struct counts count[2] = { { 0 } };   /* [0]: A to B, [1]: B to A */
    signal(SIGTERM, on_signal); signal(SIGINT, on_signal);
    fprintf(stderr, "relay: %s <-> %s, seed %s: drop %s, duplicate %s, reorder %s, corrupt %s, delay %s ms\n",
            argv[1], argv[3], argv[5], argv[6], argv[7], argv[8], argv[9], argv[10]);
    uint8_t frame[FRAME];
    while (!stop) {
        double t = now_ms();
        while (queued > 0 && queue[0].at <= t) {
            int to = queue[0].to;
            sendto(to == 1 ? sb : sa, queue[0].data, queue[0].length, 0, (struct sockaddr *)&peer[to == 1 ? 1 : 0], sizeof peer[0]);
            memmove(queue, queue + 1, (size_t)(--queued) * sizeof queue[0]);
        }
        int timeout = queued > 0 ? (int)(queue[0].at - t) + 1 : 100;
        struct pollfd pf[2] = { { .fd = sa, .events = POLLIN }, { .fd = sb, .events = POLLIN } };
        if (poll(pf, 2, timeout) < 0) { if (errno == EINTR) continue; perror("relay: poll"); return 1; }
        for (int side = 0; side < 2; side++) {
            if (!(pf[side].revents & POLLIN)) continue;
            ssize_t n = recv(pf[side].fd, frame, sizeof frame, 0);
            if (n <= 0) continue;
            struct counts *c = &count[side];
            c->frames++;
            if (uniform() < drop) { c->dropped++; continue; }
            if (uniform() < corrupt) { frame[next() % (uint64_t)n] ^= (uint8_t)(1 + next() % 255); c->corrupted++; }
            double at = now_ms() + delay;
            if (uniform() < reorder) { at += 1 + uniform() * 19; c->reordered++; }
            enqueue(at, side == 0 ? 1 : 0, frame, (size_t)n, c);
            if (uniform() < dup) { enqueue(at + uniform() * 5, side == 0 ? 1 : 0, frame, (size_t)n, c); c->duplicated++; }
        }
    }
    for (int side = 0; side < 2; side++)
        printf("relay: %s: %lu frames, %lu dropped, %lu duplicated, %lu reordered, %lu corrupted, %lu lost to a full queue\n",
               side == 0 ? "ExoSharp to Linux" : "Linux to ExoSharp", count[side].frames, count[side].dropped,
               count[side].duplicated, count[side].reordered, count[side].corrupted, count[side].full);
    return 0;
}
