; Timing primitives for the benchmark program (C#: Bench/Benchmarks.cs, System V).
; bench_rdtsc() -> rax = the time-stamp counter (under QEMU -icount shift=0: instructions).
; bench_ud2(): executes ud2 (2 bytes); the benchmark's handler resumes after it.
; bench_syscall(rdi = number, rsi = argument) -> rax: one system call straight from assembly
; (the peer's side uses an inline syscall instruction too), so the figure is the kernel's path
; alone. The number comes from C# (Abi.Syscall), never from here.

bits 64
default rel
section .text
global bench_rdtsc, bench_ud2, bench_syscall

bench_rdtsc:
    lfence
    rdtsc
    shl rdx, 32
    or rax, rdx
    ret

bench_ud2:
    ud2
    ret

bench_syscall:
    mov eax, edi
    mov rdi, rsi
    syscall
    ret
