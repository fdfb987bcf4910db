; User program entry and system call stub. Linked first into every user program (user.ld).
; - _start: the kernel enters here in ring 3 with rdi = argument string, rsi = its length,
;   rsp = a 16-byte-aligned stack. We call ExoSharpUserMain(rdi, rsi, rdx = module table
;   start, rcx = end, r8 = heap arena, r9 = arena size) (C#: Startup.cs, System V) and
;   pass its result to the Exit system call.
; - exo_syscall(rdi, rsi, rdx, rcx, r8, r9 = number) (C#: SystemCall.cs, System V): moves
;   the number to rax and the 4th argument to r10, executes syscall, returns rax.

bits 64
default rel

extern ExoSharpUserMain, __start___modules, __stop___modules
global _start, exo_syscall

HEAP_ARENA_SIZE equ 8 * 1024 * 1024
SYS_EXIT equ 1

section .text
_start:
    xor ebp, ebp
    and rsp, -16
    lea rdx, [__start___modules]
    lea rcx, [__stop___modules]
    lea r8, [heap_arena]
    mov r9, HEAP_ARENA_SIZE
    call ExoSharpUserMain
    mov rdi, rax
    mov eax, SYS_EXIT
    syscall
    ud2

exo_syscall:
    mov rax, r9
    mov r10, rcx
    syscall
    ret

section .bss
alignb 4096
heap_arena: resb HEAP_ARENA_SIZE
