/*
 * A QEMU TCG plugin (QEMU 7.2's plugin API, version 1) that counts the guest instructions
 * executed in each translated block, by the block's virtual address; at exit it writes
 * "address instructions" lines (hex, decimal) to the file given as its argument
 * (-plugin out/guestprof.so,arg=FILE; or "out=FILE" as 8.x spells it). tools/guestprof.sh
 * symbolises them against the kernel's and the programs' ELF files. The few declarations it
 * needs are written here (the Debian package ships no qemu-plugin.h); the block table is a
 * fixed open-addressed hash, blocks past its capacity are counted in one overflow line.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
typedef struct qemu_info_t qemu_info_t;
typedef void (*tb_trans_cb)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*udata_cb)(qemu_plugin_id_t id, void *userdata);
extern void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, tb_trans_cb cb);
extern size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
extern uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
extern void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb, int op, void *ptr, uint64_t imm);
extern void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, udata_cb cb, void *userdata);
#define INLINE_ADD_U64 0

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

#define CAPACITY (1u << 20)
struct block { uint64_t address, instructions, executions; };
static struct block *table;
static struct block overflow;
static char *out;
static int dumped;

static struct block *find(uint64_t address, uint64_t instructions)
{
    uint64_t h = (address * 0x9E3779B97F4A7C15ull) >> 44;
    for (unsigned probe = 0; probe < 64; probe++) {
        struct block *b = &table[(h + probe) & (CAPACITY - 1)];
        if (b->instructions == 0) { b->address = address; b->instructions = instructions; return b; }
        if (b->address == address && b->instructions == instructions) return b;
    }
    return &overflow;
}

static void translated(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    (void)id;
    uint64_t n = qemu_plugin_tb_n_insns(tb);
    struct block *b = find(qemu_plugin_tb_vaddr(tb), n);
    /* executions counts block entries; instructions per entry is fixed for the block */
    qemu_plugin_register_vcpu_tb_exec_inline(tb, INLINE_ADD_U64, &b->executions, 1);
}

static void finished(qemu_plugin_id_t id, void *userdata)
{
    (void)id; (void)userdata;
    dumped = 1;
    FILE *f = fopen(out, "w");
    if (!f) return;
    for (unsigned i = 0; i < CAPACITY; i++)
        if (table[i].executions) fprintf(f, "%llx %llu\n", (unsigned long long)table[i].address,
                                         (unsigned long long)(table[i].executions * table[i].instructions));
    if (overflow.executions) fprintf(f, "overflow %llu\n", (unsigned long long)overflow.executions);
    fclose(f);
}

/* QEMU 7.2 in system mode may exit without the plugin's at-exit callback: the process's own. */
static void dump_at_exit(void) { if (!dumped) finished(0, NULL); }

__attribute__((visibility("default")))
int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
    (void)info;
    out = argc > 0 ? strdup(strncmp(argv[0], "out=", 4) == 0 ? argv[0] + 4 : argv[0]) : "guestprof.out";
    table = calloc(CAPACITY, sizeof *table);
    if (!table) return -1;
    qemu_plugin_register_vcpu_tb_trans_cb(id, translated);
    qemu_plugin_register_atexit_cb(id, finished, NULL);
    atexit(dump_at_exit);
    return 0;
}
