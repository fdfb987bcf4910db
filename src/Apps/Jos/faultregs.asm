; JOS lab 4 faultregs, the register-level part (C#: Jos/FaultRegs.cs, System V):
; faultregs_run() loads a distinct pattern into every general register, records them (and
; rflags, rsp) in faultregs_before, stores to an unmapped address (FAULT_ADDRESS, the page
; the C# handler maps), then records every register again in faultregs_after. The handler
; compares its ExceptionFrame with faultregs_before; FaultRegs.Main compares after with
; before. Layout of both records: ExoSharp.Abi.Registers (r15 ... rax, rip, rflags, rsp).

bits 64
default rel
section .text
global faultregs_run, faultregs_record_before, faultregs_record_after, faultregs_fault_address

FAULT_ADDRESS equ 0x55550000

%macro RECORD 1
    mov [rel %1 + 0*8], r15
    mov [rel %1 + 1*8], r14
    mov [rel %1 + 2*8], r13
    mov [rel %1 + 3*8], r12
    mov [rel %1 + 4*8], r11
    mov [rel %1 + 5*8], r10
    mov [rel %1 + 6*8], r9
    mov [rel %1 + 7*8], r8
    mov [rel %1 + 8*8], rbp
    mov [rel %1 + 9*8], rdi
    mov [rel %1 + 10*8], rsi
    mov [rel %1 + 11*8], rdx
    mov [rel %1 + 12*8], rcx
    mov [rel %1 + 13*8], rbx
    mov [rel %1 + 14*8], rax
    mov [rel %1 + 17*8], rsp
    pushfq
    pop qword [rel %1 + 16*8]
%endmacro

faultregs_run:
    push rbx
    push rbp
    push r12
    push r13
    push r14
    push r15
    mov rax, 0x1111111111111111
    mov rbx, 0x2222222222222222
    mov rcx, 0x3333333333333333
    mov rdx, 0x4444444444444444
    mov rsi, 0x5555555555555555
    mov rdi, 0x6666666666666666
    mov rbp, 0x7777777777777777
    mov r8,  0x8888888888888888
    mov r9,  0x9999999999999999
    mov r10, 0xAAAAAAAAAAAAAAAA
    mov r11, 0xBBBBBBBBBBBBBBBB
    mov r12, 0xCCCCCCCCCCCCCCCC
    mov r13, 0xDDDDDDDDDDDDDDDD
    mov r14, 0xEEEEEEEEEEEEEEEE
    mov r15, 0x0F0F0F0F0F0F0F0F
    stc                         ; a flag that must survive the fault too
    RECORD faultregs_before     ; mov, pushfq and pop leave the flags alone
faultregs_fault_rip:
    mov dword [abs FAULT_ADDRESS], 0x0BADBEEF
    RECORD faultregs_after
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbp
    pop rbx
    ret

faultregs_record_before:
    lea rax, [faultregs_before]
    ret
faultregs_record_after:
    lea rax, [faultregs_after]
    ret
faultregs_fault_address:
    lea rax, [faultregs_fault_rip]
    ret

section .bss
alignb 16
faultregs_before: resq 18
faultregs_after:  resq 18
