/* The time-stamp counter read the same way by every peer benchmark (bench.c, procbench.c,
 * fsbench.c): lfence first, so earlier instructions have finished. Under QEMU's -icount
 * shift=0 it counts guest instructions. compare_u64 orders samples for qsort (medians). */
#ifndef EXOSHARP_BENCH_TSC_H
#define EXOSHARP_BENCH_TSC_H
#include <stdint.h>

static inline uint64_t tsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
    return ((uint64_t)hi << 32) | lo;
}

static inline int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}
#endif
