; The time-stamp counter for the network stack's clock (C#: LibOS/Net/Ring/NetClock.cs, System V).
; net_rdtsc() -> rax = the time-stamp counter.

bits 64
default rel
section .text
global net_rdtsc

net_rdtsc:
    rdtsc
    shl rdx, 32
    or rax, rdx
    ret
