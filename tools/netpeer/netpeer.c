/* The host's side of the network boot tests (tests/Boot/net-*.test); tools/boottest.sh builds
 * it with gcc and libpcap and runs it next to QEMU (the test's `host:` line).
 *   netpeer echo LOG PORT TIMEOUT MESSAGE...
 *     waits for "echo: ready" in the guest's serial LOG, sends each MESSAGE as a UDP datagram
 *     to 127.0.0.1:PORT (QEMU's user network forwards it to the guest) and checks it comes back
 *     unchanged, resending every half second until TIMEOUT seconds have passed.
 *   netpeer replay LOG GUESTPORT HOSTPORT TIMEOUT NAME=EXPRESSION... -- CAPTURE...
 *     waits for "netrecv: NAME ... ready" for every NAME, then sends every Ethernet frame of the
 *     captures (raw, one per UDP datagram from 127.0.0.1:HOSTPORT to QEMU's dgram netdev on
 *     GUESTPORT), then one end marker per NAME (EtherType 0x88B5, byte 14 = its number); waits
 *     for the guest's "netrecv: card received" line and checks each receiver's delivery lines
 *     (length and FNV-1a hash, in order) and the kernel's counters against libpcap's verdicts
 *     for the same expressions on the same frames.
 *   netpeer flood LOG GUESTPORT HOSTPORT TIMEOUT COUNT
 *     waits for "netattack: ready", sends COUNT UDP frames to 10.0.2.15 port 9 as fast as it
 *     can, then end marker 1 every 200 ms until the guest says "netattack: flood done".
 * Prints "host: ..." lines (failures contain MISMATCH); exit status 0 when everything matched. */
#define _DEFAULT_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_RECEIVERS 8
#define MAX_FRAMES 4096
#define MAX_FRAME 1514

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

/* The complete lines of the log so far (a malloc'd string ending after the last newline). */
static char *read_log(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return strdup("");
    size_t cap = 1 << 16, len = 0;
    char *text = malloc(cap + 1);
    size_t got;
    while ((got = fread(text + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) text = realloc(text, (cap *= 2) + 1);
    }
    fclose(f);
    while (len > 0 && text[len - 1] != '\n') len--;
    text[len] = 0;
    return text;
}

/* Whether some line of the log contains both a and b (b may be NULL). */
static int log_has(const char *path, const char *a, const char *b)
{
    char *text = read_log(path);
    int found = 0;
    for (char *line = text; *line && !found;) {
        char *end = strchr(line, '\n');
        *end = 0;
        char *at = strstr(line, a);
        found = at && (!b || strstr(at, b));
        line = end + 1;
    }
    free(text);
    return found;
}

static int wait_for(const char *log, const char *a, const char *b, double deadline)
{
    while (now() < deadline) {
        if (log_has(log, a, b)) return 1;
        usleep(100 * 1000);
    }
    return 0;
}

static int udp_socket(int port)
{
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in local = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    int size = 4 << 20;
    setsockopt(s, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
    if (s < 0 || bind(s, (struct sockaddr *)&local, sizeof local) < 0) {
        perror("netpeer: socket");
        exit(2);
    }
    return s;
}

static struct sockaddr_in loopback(int port)
{
    struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    return to;
}

static int echo(int argc, char **argv)
{
    if (argc < 4) return 2;
    const char *log = argv[0];
    int port = atoi(argv[1]);
    double deadline = now() + atof(argv[2]);
    if (!wait_for(log, "echo: ready", NULL, deadline)) {
        printf("host: echo: MISMATCH: the guest never said \"echo: ready\"\n");
        return 1;
    }
    int s = udp_socket(0), failures = 0;
    struct sockaddr_in to = loopback(port);
    for (int m = 3; m < argc; m++) {
        const char *message = argv[m];
        size_t length = strlen(message);
        char reply[2048];
        ssize_t got = -1;
        while (got < 0 && now() < deadline) {
            sendto(s, message, length, 0, (struct sockaddr *)&to, sizeof to);
            struct pollfd p = { .fd = s, .events = POLLIN };
            if (poll(&p, 1, 500) == 1) got = recv(s, reply, sizeof reply, 0);
        }
        if (got < 0) {
            printf("host: echo: MISMATCH: no reply to '%s' from 127.0.0.1:%d\n", message, port);
            failures++;
        } else if ((size_t)got != length || memcmp(reply, message, length) != 0) {
            printf("host: echo: MISMATCH: sent '%s', got %zd other bytes back\n", message, got);
            failures++;
        } else {
            printf("host: echo: '%s' (%zu bytes) came back unchanged from 127.0.0.1:%d\n", message, length, port);
        }
    }
    return failures != 0;
}

struct delivery { unsigned length; uint32_t hash; };

static uint32_t fnv1a(const unsigned char *bytes, unsigned length)
{
    uint32_t hash = 2166136261u;
    for (unsigned i = 0; i < length; i++) hash = (hash ^ bytes[i]) * 16777619u;
    return hash;
}

static int replay(int argc, char **argv)
{
    if (argc < 6) return 2;
    const char *log = argv[0];
    int guest_port = atoi(argv[1]), host_port = atoi(argv[2]);
    double deadline = now() + atof(argv[3]);
    char *names[MAX_RECEIVERS];
    struct bpf_program programs[MAX_RECEIVERS];
    int receivers = 0, i = 4;
    pcap_t *dead = pcap_open_dead(DLT_EN10MB, 262144);
    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        char *equals = strchr(argv[i], '=');
        if (!equals || receivers == MAX_RECEIVERS) return 2;
        *equals = 0;
        names[receivers] = argv[i];
        if (pcap_compile(dead, &programs[receivers], equals + 1, 1, PCAP_NETMASK_UNKNOWN) != 0) {
            fprintf(stderr, "netpeer: %s: %s\n", equals + 1, pcap_geterr(dead));
            return 2;
        }
        receivers++;
    }
    if (i == argc) return 2;
    for (int r = 0; r < receivers; r++) {
        char who[64];
        snprintf(who, sizeof who, "netrecv: %s '", names[r]);
        if (!wait_for(log, who, "ready", deadline)) {
            printf("host: replay: MISMATCH: receiver %s never said it was ready\n", names[r]);
            return 1;
        }
    }

    static struct delivery expected[MAX_RECEIVERS][MAX_FRAMES];
    int counts[MAX_RECEIVERS] = { 0 }, frames = 0, unclaimed = 0, captures = 0, skipped = 0;
    int s = udp_socket(host_port);
    struct sockaddr_in to = loopback(guest_port);
    for (i++; i < argc; i++) {
        char error[PCAP_ERRBUF_SIZE];
        pcap_t *capture = pcap_open_offline(argv[i], error);
        if (!capture) {
            fprintf(stderr, "netpeer: %s\n", error);
            return 2;
        }
        if (pcap_datalink(capture) != DLT_EN10MB) {
            pcap_close(capture);
            continue;
        }
        captures++;
        struct pcap_pkthdr *header;
        const unsigned char *data;
        while (pcap_next_ex(capture, &header, &data) == 1) {
            if (header->caplen < 14 || header->caplen > MAX_FRAME || frames == MAX_FRAMES) {
                skipped++;
                continue;
            }
            struct pcap_pkthdr as_sent = *header;
            as_sent.len = header->caplen;           /* the guest sees the bytes sent, nothing more */
            int owner = -1;
            for (int r = 0; r < receivers; r++) {
                if (!pcap_offline_filter(&programs[r], &as_sent, data)) continue;
                if (owner >= 0) {
                    printf("host: replay: MISMATCH: frame %d matches both %s and %s (the filters must not overlap)\n", frames, names[owner], names[r]);
                    return 1;
                }
                owner = r;
            }
            if (owner < 0) unclaimed++;
            else expected[owner][counts[owner]++] = (struct delivery){ header->caplen, fnv1a(data, header->caplen) };
            sendto(s, data, header->caplen, 0, (struct sockaddr *)&to, sizeof to);
            frames++;
            usleep(2000);
        }
        pcap_close(capture);
    }
    for (int r = 0; r < receivers; r++) {
        unsigned char marker[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 0x01, 0x88, 0xb5 };
        marker[14] = (unsigned char)(r + 1);
        sendto(s, marker, sizeof marker, 0, (struct sockaddr *)&to, sizeof to);
    }
    printf("host: replayed %d frames from %d captures (%d skipped: not 14-%d bytes); libpcap:", frames, captures, skipped, MAX_FRAME);
    for (int r = 0; r < receivers; r++) printf(" %s %d,", names[r], counts[r]);
    printf(" unclaimed %d\n", unclaimed);

    if (!wait_for(log, "netrecv: card received", NULL, deadline)) {
        printf("host: replay: MISMATCH: the guest never printed its counters\n");
        return 1;
    }
    int failures = 0, seen[MAX_RECEIVERS] = { 0 };
    unsigned long received = 0, delivered = 0, dropped_unclaimed = 0;
    int counters = 0;
    char *text = read_log(log);
    for (char *line = text; *line;) {
        char *end = strchr(line, '\n');
        *end = 0;
        char *at = strstr(line, "netrecv: ");
        if (at) {
            at += 9;
            unsigned number, length;
            uint32_t hash;
            if (sscanf(at, "card received %lu, delivered %lu, unclaimed %lu", &received, &delivered, &dropped_unclaimed) == 3) counters = 1;
            for (int r = 0; r < receivers; r++) {
                size_t n = strlen(names[r]);
                if (strncmp(at, names[r], n) != 0 || sscanf(at + n, " #%u len %u hash %x", &number, &length, &hash) != 3) continue;
                int k = seen[r]++;
                if (k >= counts[r]) {
                    if (failures++ < 10) printf("host: replay: MISMATCH: %s got frame #%u (len %u) that libpcap gives it no %d\n", names[r], number, length, k + 1);
                } else if (number != (unsigned)k + 1 || length != expected[r][k].length || hash != expected[r][k].hash) {
                    if (failures++ < 10) printf("host: replay: MISMATCH: %s #%u: len %u hash %08x, libpcap's frame %d has len %u hash %08x\n",
                                                names[r], number, length, hash, k + 1, expected[r][k].length, expected[r][k].hash);
                }
            }
        }
        line = end + 1;
    }
    free(text);
    for (int r = 0; r < receivers; r++)
        if (seen[r] < counts[r] && failures++ < 10) printf("host: replay: MISMATCH: %s got %d frames, libpcap gives it %d\n", names[r], seen[r], counts[r]);
    unsigned long matched = 0;
    for (int r = 0; r < receivers; r++) matched += counts[r];
    if (!counters || received != (unsigned long)frames + receivers || delivered != matched + receivers || dropped_unclaimed != (unsigned long)unclaimed) {
        printf("host: replay: MISMATCH: kernel counters received %lu, delivered %lu, unclaimed %lu; expected %lu, %lu, %d\n",
               received, delivered, dropped_unclaimed, (unsigned long)frames + receivers, matched + receivers, unclaimed);
        failures++;
    }
    if (failures == 0) printf("host: every delivery matches libpcap's verdicts, and the kernel's counters too\n");
    return failures != 0;
}

static int flood(int argc, char **argv)
{
    if (argc < 5) return 2;
    const char *log = argv[0];
    int guest_port = atoi(argv[1]), host_port = atoi(argv[2]), count = atoi(argv[4]);
    double deadline = now() + atof(argv[3]);
    if (!wait_for(log, "netattack: ready", NULL, deadline)) {
        printf("host: flood: MISMATCH: the guest never said \"netattack: ready\"\n");
        return 1;
    }
    int s = udp_socket(host_port);
    struct sockaddr_in to = loopback(guest_port);
    unsigned char frame[60] = {
        0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x02, 0, 0, 0, 0, 0x02, 0x08, 0x00,
        0x45, 0, 0, 46, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 2, 2, 10, 0, 2, 15,
        0x04, 0xd2, 0, 9, 0, 26, 0, 0 };
    for (int i = 0; i < count; i++) {
        frame[42] = (unsigned char)i;
        frame[43] = (unsigned char)(i >> 8);
        sendto(s, frame, sizeof frame, 0, (struct sockaddr *)&to, sizeof to);
    }
    printf("host: flood: sent %d frames to port 9\n", count);
    unsigned char marker[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 0x01, 0x88, 0xb5, 1 };
    while (!log_has(log, "netattack: flood done", NULL)) {
        if (now() > deadline) {
            printf("host: flood: MISMATCH: the guest never said \"netattack: flood done\"\n");
            return 1;
        }
        sendto(s, marker, sizeof marker, 0, (struct sockaddr *)&to, sizeof to);
        usleep(200 * 1000);
    }
    return 0;
}

int main(int argc, char **argv)
{
    int status = 2;
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc >= 2 && strcmp(argv[1], "echo") == 0) status = echo(argc - 2, argv + 2);
    else if (argc >= 2 && strcmp(argv[1], "replay") == 0) status = replay(argc - 2, argv + 2);
    else if (argc >= 2 && strcmp(argv[1], "flood") == 0) status = flood(argc - 2, argv + 2);
    if (status == 2) fprintf(stderr, "usage: netpeer echo LOG PORT TIMEOUT MESSAGE... | replay LOG GUESTPORT HOSTPORT TIMEOUT NAME=EXPR... -- CAPTURE... | flood LOG GUESTPORT HOSTPORT TIMEOUT COUNT\n");
    return status;
}
