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
; - linux_upcall(rdi = ExceptionFrame*): the exception handler start.asm calls (Runtime/LinuxFast.cs
;   installs it): getpid, gettid and getppid answered from linux_fast's words when nothing
;   waits to be delivered (the own row's Pending word is 0 and the gate word is 0), and
;   a slice's start upcall with nothing to deliver returns at once, and
;   sched_yield of a SCHED_FIFO process as a directed Yield through the peer word's handle
;   while the countdown word lasts (Processes/Scheduling.cs sets both; a signal posted meanwhile
;   is delivered through the deliver word's C#); everything else a tail jump to the C# handler
;   in linux_fast's slow word. linux_fast_words() -> rax =
;   the words' address, linux_upcall_address() -> rax = linux_upcall.
bits 64
default rel
section .text
global linux_enter, linux_set_fs, linux_get_fs, linux_rdtsc, linux_xadd32, linux_xchg32
global linux_atomic_or, linux_atomic_increment, linux_atomic_take_bit
global linux_upcall, linux_upcall_address, linux_fast_words
FOREIGN_SYSCALL equ 0x103       ; ExoSharp.Abi.UpcallVector.ForeignSyscall
SLICE_START  equ 0x100          ; UpcallVector.SliceStart
FRAME_RAX    equ 24 + 14 * 8    ; ExceptionFrame: Vector, ErrorCode, FaultAddress, r15 .. rbx, rax
FAST_SLOW    equ 0              ; linux_fast's words (Runtime/LinuxFast.cs): the C# handler,
FAST_PID     equ 8              ; getpid's answer, getppid's, the address of the own row's
FAST_PPID    equ 16             ; Pending word (0: no fast path), and the gate (non-zero: every
FAST_PENDING equ 24             ; call takes the C# path)
FAST_GATE    equ 32
FAST_PEER    equ 40             ; sched_yield's handle (0: the C# path), its countdown, and the
FAST_LEFT    equ 48             ; C# that delivers signals after a fast yield
FAST_DELIVER equ 56
SYS_YIELD    equ 4              ; ExoSharp.Abi.Syscall.Yield
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
align 16                        ; a plain code address for Exceptions.SetHandler (bit 1 clear)
linux_upcall:
    cmp qword [rdi], FOREIGN_SYSCALL
    jne .other
    mov rax, [rdi + FRAME_RAX]
    cmp rax, 110                ; getppid
    je .ppid
    cmp rax, 39                 ; getpid
    je .pid
    cmp rax, 186                ; gettid
    je .pid
    cmp rax, 24                 ; sched_yield
    je .yield
.slow:
    jmp [linux_fast + FAST_SLOW]
.ppid:
    mov rdx, [linux_fast + FAST_PPID]
    jmp .answer
.pid:
    mov rdx, [linux_fast + FAST_PID]
.answer:
    mov rax, [linux_fast + FAST_PENDING]
    test rax, rax
    jz .slow
    cmp qword [rax], 0          ; a signal posted: the C# path delivers it
    jne .slow
    cmp qword [linux_fast + FAST_GATE], 0
    jne .slow
    mov [rdi + FRAME_RAX], rdx
    ret
.other:
    cmp qword [rdi], SLICE_START
    jne .slow
.slice:                         ; a slice begins: only a posted signal or an armed alarm needs C#
    mov rax, [linux_fast + FAST_PENDING]
    test rax, rax
    jz .slow
    cmp qword [rax], 0
    jne .slow
    cmp qword [linux_fast + FAST_GATE], 0
    jne .slow
    ret
.yield:
    mov rdx, [linux_fast + FAST_PEER]
    test rdx, rdx
    jz .slow
    cmp qword [linux_fast + FAST_LEFT], 0
    je .slow                    ; the C# path looks at the table again
    mov rax, [linux_fast + FAST_PENDING]
    test rax, rax
    jz .slow
    cmp qword [rax], 0
    jne .slow
    cmp qword [linux_fast + FAST_GATE], 0
    jne .slow
    dec qword [linux_fast + FAST_LEFT]
    push rdi
    mov rdi, rdx
    mov eax, SYS_YIELD
    syscall                     ; every register but rax, rcx, r11 comes back
    pop rdi
    mov qword [rdi + FRAME_RAX], 0
    mov rax, [linux_fast + FAST_PENDING]
    cmp qword [rax], 0
    jne .deliver                ; posted while the others ran
    ret
.deliver:
    jmp [linux_fast + FAST_DELIVER]
linux_upcall_address:
    lea rax, [linux_upcall]
    ret
linux_fast_words:
    lea rax, [linux_fast]
    ret

section .data
align 64
linux_fast: times 8 dq 0
