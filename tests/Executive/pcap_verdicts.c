/* Test helper, compiled by the tests at run time (never committed as a binary): libpcap's own
 * verdicts, for differential tests of ExoSharp's executive.
 *   pcap_verdicts compile CAPTURE EXPRESSION
 *       compiles EXPRESSION with pcap_compile (optimised, for CAPTURE's link type), prints the
 *       program as `tcpdump -dd` does, a line "--", then bpf_filter's result for each packet.
 *   pcap_verdicts run CAPTURE PROGRAM
 *       PROGRAM in `tcpdump -ddd` form; prints bpf_filter's result for each packet.
 * Exit status: 0 ok, 2 bad capture or usage, 3 libpcap refused the expression, 4 the capture
 * ended in a damaged record (the verdicts printed are those of the whole records before it). */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int verdicts(pcap_t *capture, const struct bpf_insn *insns)
{
    struct pcap_pkthdr *header;
    const u_char *data;
    int status;
    while ((status = pcap_next_ex(capture, &header, &data)) == 1)
        printf("%u\n", bpf_filter(insns, data, header->len, header->caplen));
    if (status == PCAP_ERROR) {
        fprintf(stderr, "pcap_verdicts: %s\n", pcap_geterr(capture));
        return 4;
    }
    return 0;
}

static int load(const char *path, struct bpf_program *program)
{
    FILE *file = fopen(path, "r");
    unsigned count, i;
    if (file == NULL || fscanf(file, "%u", &count) != 1 || count == 0 || count > 65536) return -1;
    program->bf_len = count;
    program->bf_insns = calloc(count, sizeof(struct bpf_insn));
    for (i = 0; i < count; i++) {
        unsigned code, jt, jf, k;
        if (fscanf(file, "%u %u %u %u", &code, &jt, &jf, &k) != 4) return -1;
        program->bf_insns[i].code = (u_short)code;
        program->bf_insns[i].jt = (u_char)jt;
        program->bf_insns[i].jf = (u_char)jf;
        program->bf_insns[i].k = k;
    }
    fclose(file);
    return 0;
}

int main(int argc, char **argv)
{
    char error[PCAP_ERRBUF_SIZE];
    struct bpf_program program;
    pcap_t *capture;
    unsigned i;
    if (argc != 4 || (strcmp(argv[1], "compile") != 0 && strcmp(argv[1], "run") != 0)) {
        fprintf(stderr, "usage: pcap_verdicts compile|run CAPTURE EXPRESSION|PROGRAM\n");
        return 2;
    }
    capture = pcap_open_offline(argv[2], error);
    if (capture == NULL) {
        fprintf(stderr, "pcap_verdicts: %s\n", error);
        return 2;
    }
    if (strcmp(argv[1], "run") == 0) {
        if (load(argv[3], &program) != 0) {
            fprintf(stderr, "pcap_verdicts: cannot read program %s\n", argv[3]);
            return 2;
        }
        return verdicts(capture, program.bf_insns);
    }
    if (pcap_compile(capture, &program, argv[3], 1, PCAP_NETMASK_UNKNOWN) != 0) {
        fprintf(stderr, "pcap_verdicts: %s\n", pcap_geterr(capture));
        return 3;
    }
    for (i = 0; i < program.bf_len; i++) {
        const struct bpf_insn *insn = &program.bf_insns[i];
        printf("{ 0x%x, %d, %d, 0x%08x },\n", insn->code, insn->jt, insn->jf, insn->k);
    }
    printf("--\n");
    return verdicts(capture, program.bf_insns);
}
