; The Linux library OS's few instructions C# cannot write (C#: Runtime/LinuxProcess.cs,
; Runtime/LinuxCalls.cs; System V):
; - linux_enter(rdi = entry, rsi = rsp): starts a foreign program as a Linux kernel would,
;   every general register 0 but rsp (rdx 0: no function for atexit); never returns.
; - linux_set_fs(rdi = base) / linux_get_fs() -> rax: arch_prctl's FS base (wrfsbase/rdfsbase,
;   CR4.FSGSBASE: docs/abi.md).
; - linux_rdtsc() -> rax = the time-stamp counter (Runtime/Entropy.cs).
; - linux_xadd32(rdi = address, esi = delta) -> eax = the old value (lock xadd); and
;   linux_xchg32(rdi = address, esi = value) -> eax = the old value: a pipe's counts and lock in
;   a page other processes share (Io/PipeBuffer.cs), atomic even if preempted.
; - linux_atomic_or(rdi = ulong*, rsi = bits), linux_atomic_increment(rdi = uint*),
;   linux_atomic_take_bit(rdi = ulong*, rsi = bit) -> rax = 1 if the bit was set (and is now
;   clear): the shared process table's mailbox (Processes/ProcessTable.cs, Signals.cs).
bits 64
default rel
section .text
global linux_enter, linux_set_fs, linux_get_fs, linux_rdtsc, linux_xadd32, linux_xchg32
global linux_atomic_or, linux_atomic_increment, linux_atomic_take_bit
linux_enter:
    mov rsp, rsi
    mov rax, rdi
    xor ebx, ebx
    xor ecx, ecx
    xor edx, edx
    xor esi, esi
    xor edi, edi
    xor ebp, ebp
    xor r8d, r8d
    xor r9d, r9d
    xor r10d, r10d
    xor r11d, r11d
    xor r12d, r12d
    xor r13d, r13d
    xor r14d, r14d
    xor r15d, r15d
    jmp rax
linux_set_fs:
    wrfsbase rdi
    ret
linux_get_fs:
    rdfsbase rax
    ret
linux_rdtsc:
    rdtsc
    shl rdx, 32
    or rax, rdx
    ret
linux_xadd32:
    mov eax, esi
    lock xadd [rdi], eax
    ret
linux_xchg32:
    mov eax, esi
    xchg [rdi], eax
    ret
linux_atomic_or:
    lock or [rdi], rsi
    ret
linux_atomic_increment:
    lock inc dword [rdi]
    ret
linux_atomic_take_bit:
    xor eax, eax
    lock btr [rdi], rsi
    setc al
    ret
