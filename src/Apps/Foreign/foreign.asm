; Foreign code for the foreign-system-call test (C#: Foreign/ForeignCalls.cs copies the bytes
; between foreign_code and foreign_code_end to a low page and jumps there with rsp set; it
; never returns). Position independent; Linux's x86-64 system call convention (number in rax,
; arguments in rdi, rsi, rdx, r10, r8, r9; result in rax; rcx and r11 clobbered). The numbers
; 3 and 29 are ExoSharp's EnvId and PageMapOne, whose fast paths must not serve foreign code.
bits 64
default rel
section .text
global foreign_enter, foreign_code_start, foreign_code_limit


foreign_code:
    mov eax, 39                 ; getpid
    syscall
    mov r12, rax
    mov eax, 1                  ; write(1, message, length)
    mov edi, 1
    lea rsi, [message]
    mov edx, message_end - message
    syscall
    mov r13, rax
    mov eax, 3                  ; close(77): EnvId's number
    mov edi, 77
    syscall
    mov r14, rax
    mov eax, 29                 ; shmget: PageMapOne's number
    xor edi, edi
    syscall
    mov r15, rax
    mov eax, 231                ; exit_group(results in rdi, rsi, rdx, r10)
    mov rdi, r12
    mov rsi, r13
    mov rdx, r14
    mov r10, r15
    syscall
    ud2                         ; exit_group does not return
message:
    db "hello from foreign code", 10
message_end:
foreign_code_end:

; foreign_enter(rdi = rip, rsi = rsp): jumps to foreign code on its own stack; never returns.

foreign_enter:
    mov rsp, rsi
    jmp rdi

; foreign_code_start() / foreign_code_limit() -> rax = where the foreign code's bytes start / end.

foreign_code_start:
    lea rax, [foreign_code]
    ret
foreign_code_limit:
    lea rax, [foreign_code_end]
    ret
