; Register-state probes for the extended-state tests (C#: State/XState.cs, System V). A
; record (XState.Record) is 16 vector registers of 32 bytes (ymm0-15; only the low 16 bytes
; without AVX), then at 512 an x87 value (st0 as a 64-bit integer), at 520 MXCSR.
; - xstate_avx() -> 1 when the ymm registers are usable (CPUID OSXSAVE and AVX, XCR0 SSE+AVX).
; - xstate_run(rdi = record to load, rsi = record to store, rdx = mode, rcx = argument,
;   r8 = avx, r9 = arm): loads every vector register, st0 and MXCSR from the first record, then
;   mode 0: writes a byte at [rcx] (a page fault its handler serves);
;   mode 1: reads the word at [rcx]; then, when r9 is not 0, makes the system call
;           { number, rdi, rsi } at [r9] (what makes the upcall come, e.g. Revoke); then spins
;           until the word changes (the upcall's handler changes it);
;   mode 2: increments the word at [rcx] each round and spins until the word at [rcx ^ 8]
;           changes (another thread's, so this one was switched out and back);
;   mode 3: makes the Yield system call rcx times;
;   mode 4: executes ud2 (its handler skips it);
;   then stores them all in the second record; rax = 0, or 1 when a spin gave up (2^32 rounds).
;   Only general registers are used in between: what comes back is what the event preserved.
; - xstate_syscall(rdi = record to load, rsi = record to store, rdx = avx, rcx = number,
;   r8 = argument, r9 = 9 words out): loads the record, puts known values in every general
;   register the kernel must keep, makes the system call (number, rdi = argument), then stores
;   rbx rbp rsi rdx r8 r9 r10 rdi rax in the words and the vector registers, st0 and MXCSR
;   in the second record: what a system call gives back.
; - xstate_clobber(rdi = avx): garbage in every vector register, x87 reset, MXCSR default.
; - xstate_clobber_sse(): what compiled C# (x86-64-v2, legacy SSE encodings) may change: garbage
;   in xmm0-15 (the ymm upper halves stay), MXCSR default; x87 untouched.
; - xstate_store(rdi = record, rsi = avx): stores the registers as they are now.
; - xstate_load(rdi = record, rsi = avx): loads them from the record.
; - xstate_set_tf(): sets rflags.TF: every following instruction traps (#DB) once done.
; - xstate_xrstor(rdi = area) -> rax = 0 after xrstor64 [rdi] with every feature; a #GP goes
;   to the program's handler, which resumes at xstate_xrstor_refused (rax = 1).
; - xstate_xsave(rdi = area): xsave64 [rdi] with every feature (64-byte aligned area).

bits 64
default rel
section .text
global xstate_avx, xstate_run, xstate_clobber, xstate_store, xstate_set_tf, xstate_xrstor, xstate_xsave
global xstate_xrstor_instruction, xstate_xrstor_refused, xstate_load, xstate_syscall, xstate_clobber_sse

SYS_YIELD equ 4                 ; ExoSharp.Abi.Syscall.Yield

xstate_avx:
    push rbx
    mov eax, 1
    cpuid
    xor eax, eax
    bt ecx, 27                  ; OSXSAVE
    jnc .no
    bt ecx, 28                  ; AVX
    jnc .no
    xor ecx, ecx
    xgetbv
    and eax, 6
    cmp eax, 6
    sete al
    movzx eax, al
.no:
    pop rbx
    ret

%macro LOAD 2                   ; record register, avx register
    test %2, %2
    jz %%sse
%assign i 0
%rep 16
    vmovdqu ymm %+ i, [%1 + i * 32]
%assign i i + 1
%endrep
    jmp %%done
%%sse:
%assign i 0
%rep 16
    movdqu xmm %+ i, [%1 + i * 32]
%assign i i + 1
%endrep
%%done:
    fninit
    fild qword [%1 + 512]
    ldmxcsr [%1 + 520]
%endmacro

%macro STORE 2
    test %2, %2
    jz %%sse
%assign i 0
%rep 16
    vmovdqu [%1 + i * 32], ymm %+ i
%assign i i + 1
%endrep
    jmp %%done
%%sse:
%assign i 0
%rep 16
    movdqu [%1 + i * 32], xmm %+ i
%assign i i + 1
%endrep
%%done:
    fld st0                     ; st0 stays: store a copy
    fistp qword [%1 + 512]
    stmxcsr [%1 + 520]
%endmacro

xstate_run:
    push rbx
    push r12
    push r13
    push r14
    push r15
    mov r12, rsi                ; the record to store
    mov r13, r8                 ; avx
    LOAD rdi, r8
    xor ebx, ebx                ; 0: the event happened
    cmp rdx, 0
    je .fault
    cmp rdx, 1
    je .watch
    cmp rdx, 2
    je .other
    cmp rdx, 3
    je .yield
    ud2                         ; mode 4 (and anything else)
    jmp .done
.fault:
    mov byte [rcx], 1
    jmp .done
.watch:
    mov r14, rcx
    mov r15, [r14]              ; before the event is armed: it cannot have happened yet
    test r9, r9
    jz .watch_spin
    mov rax, [r9]
    mov rdi, [r9 + 8]
    mov rsi, [r9 + 16]
    syscall
.watch_spin:
    mov r8d, -1
.watch_loop:
    pause
    cmp [r14], r15
    jne .done
    dec r8
    jnz .watch_loop
    mov ebx, 1
    jmp .done
.other:
    mov r9, rcx
    xor r9, 8
    mov rax, [r9]
    mov r8d, -1
.other_loop:
    inc qword [rcx]
    cmp [r9], rax
    jne .done
    dec r8
    jnz .other_loop
    mov ebx, 1
    jmp .done
.yield:
    mov r8, rcx
.yield_loop:
    mov eax, SYS_YIELD
    xor edi, edi
    syscall
    dec r8
    jnz .yield_loop
.done:
    STORE r12, r13
    mov rax, rbx
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbx
    ret

xstate_clobber:
    mov rax, 0xDEADBEEFDEADBEEF
    movq xmm0, rax
    test rdi, rdi
    jz .sse
    vpbroadcastq ymm0, xmm0
%assign i 1
%rep 15
    vmovdqa ymm %+ i, ymm0
%assign i i + 1
%endrep
    jmp .x87
.sse:
    punpcklqdq xmm0, xmm0
%assign i 1
%rep 15
    movdqa xmm %+ i, xmm0
%assign i i + 1
%endrep
.x87:
    fninit
    push 0x1F80
    ldmxcsr [rsp]
    pop rax
    ret

xstate_syscall:
    push rbx
    push rbp
    push r12
    push r13
    push r14
    push r15
    mov r12, rsi
    mov r13, rdx
    mov r14, r9
    mov r15, rcx
    mov rbx, r8
    LOAD rdi, r13
    mov rax, r15
    mov rdi, rbx
    mov rbx, 0x0B0B0B0B0B0B0B0B
    mov rbp, 0x0BB0BB0BB0BB0BB0
    mov rsi, 0x5151515151515151
    mov rdx, 0x0D0D0D0D0D0D0D0D
    mov r8, 0x0808080808080808
    mov r9, 0x0909090909090909
    mov r10, 0x1010101010101010
    syscall
    mov [r14], rbx
    mov [r14 + 8], rbp
    mov [r14 + 16], rsi
    mov [r14 + 24], rdx
    mov [r14 + 32], r8
    mov [r14 + 40], r9
    mov [r14 + 48], r10
    mov [r14 + 56], rdi
    mov [r14 + 64], rax
    STORE r12, r13
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbp
    pop rbx
    ret

xstate_clobber_sse:
    mov rax, 0xBADC0FFEE0DDF00D
    movq xmm0, rax
    punpcklqdq xmm0, xmm0
%assign i 1
%rep 15
    movdqa xmm %+ i, xmm0
%assign i i + 1
%endrep
    push 0x1F80
    ldmxcsr [rsp]
    pop rax
    ret

xstate_store:
    STORE rdi, rsi
    ret

xstate_load:
    LOAD rdi, rsi
    ret

xstate_set_tf:
    pushfq
    or qword [rsp], 0x100
    popfq
    ret

xstate_xrstor:
    mov eax, -1
    mov edx, -1
xstate_xrstor_instruction:
    xrstor64 [rdi]
    xor eax, eax
    ret
xstate_xrstor_refused:
    mov eax, 1
    ret

xstate_xsave:
    mov eax, -1
    mov edx, -1
    xsave64 [rdi]
    ret
