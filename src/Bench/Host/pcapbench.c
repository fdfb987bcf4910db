/*
 * The host's side of make bench's packet filters: libpcap's bpf_filter on
 * the frames ExoSharp's bench classifies. N filters 'udp dst port P' (P = 1000..1000+N-1) are
 * compiled with pcap_compile and run in turn until one accepts, as N separate libpcap filters
 * would be. "pcapbench time" prints "BENCH filter_pcap_<n>[_miss] median= min= max=" in host
 * nanoseconds per packet; "pcapbench loop N hit|miss" runs LOOP packets through loop() once
 * (tools/bench.sh counts its instructions with valgrind's callgrind).
 */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RUNS 201
#define FRAME 60
#define LOOP 1000
#define BATCH 20000

static struct bpf_program programs[100];
static volatile unsigned sink;

static void frame(unsigned char *f, unsigned port)
{
    memset(f, 0, FRAME);
    memset(f, 0x02, 6);
    memset(f + 6, 0x04, 6);
    f[12] = 0x08; f[14] = 0x45; f[17] = 46; f[22] = 64; f[23] = 17;
    f[26] = 10; f[29] = 1; f[30] = 10; f[33] = 2;
    f[34] = 0x13; f[35] = 0x88; f[36] = port >> 8; f[37] = port & 0xff; f[39] = 26;
}

static void compile(int n)
{
    pcap_t *dead = pcap_open_dead(DLT_EN10MB, 262144);
    for (int i = 0; i < n; i++) {
        char expression[64];
        snprintf(expression, sizeof expression, "udp dst port %d", 1000 + i);
        if (pcap_compile(dead, &programs[i], expression, 1, PCAP_NETMASK_UNKNOWN) != 0) {
            fprintf(stderr, "pcapbench: %s: %s\n", expression, pcap_geterr(dead));
            exit(2);
        }
    }
    pcap_close(dead);
}

/* The filter that accepts the packet (1-based), or 0. */
static unsigned classify(int n, const unsigned char *packet)
{
    for (int i = 0; i < n; i++)
        if (bpf_filter(programs[i].bf_insns, packet, FRAME, FRAME) != 0) return i + 1;
    return 0;
}

__attribute__((noinline)) void loop(int n, const unsigned char *packet, int count)
{
    for (int i = 0; i < count; i++) sink += classify(n, packet);
}

static uint64_t now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + t.tv_nsec;
}

static int compare(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    unsigned char hit[FRAME], miss[FRAME];
    frame(miss, 9);
    if (argc == 4 && strcmp(argv[1], "loop") == 0) {
        int n = atoi(argv[2]);
        compile(n);
        frame(hit, 1000 + n - 1);
        loop(n, strcmp(argv[3], "hit") == 0 ? hit : miss, LOOP);
        return 0;
    }
    if (argc != 2 || strcmp(argv[1], "time") != 0) {
        fprintf(stderr, "usage: pcapbench time | pcapbench loop N hit|miss\n");
        return 2;
    }
    static const int counts[] = { 1, 10, 100 };
    static uint64_t samples[RUNS];
    for (int k = 0; k < 3; k++) {
        int n = counts[k];
        compile(n);
        frame(hit, 1000 + n - 1);
        if (classify(n, hit) != (unsigned)n || classify(n, miss) != 0) {
            fprintf(stderr, "pcapbench: wrong verdicts with %d filters\n", n);
            return 1;
        }
        for (int m = 0; m < 2; m++) {
            const unsigned char *packet = m == 0 ? hit : miss;
            int batch = BATCH / n;
            for (int i = 0; i < RUNS; i++) {
                uint64_t t = now();
                loop(n, packet, batch);
                samples[i] = now() - t;
            }
            qsort(samples, RUNS, sizeof samples[0], compare);
            printf("BENCH filter_pcap_%d%s median=%llu min=%llu max=%llu\n", n, m == 0 ? "" : "_miss",
                   (unsigned long long)((samples[RUNS / 2] + batch / 2) / batch), (unsigned long long)((samples[0] + batch / 2) / batch),
                   (unsigned long long)((samples[RUNS - 1] + batch / 2) / batch));
        }
        for (int i = 0; i < n; i++) pcap_freecode(&programs[i]);
    }
    printf("BENCH done\n");
    return 0;
}
