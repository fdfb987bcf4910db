; Instructions C# cannot express, for the hostile programs (Hostile/*.cs call these through
; [RuntimeImport]; System V calling convention). Most must make the CPU fault in ring 3; the
; flag ones (hostile_set_nt) are legal in ring 3 and attack the kernel entered afterwards.

bits 64
default rel
section .text
global hostile_cli, hostile_hlt, hostile_out, hostile_mov_cr3, hostile_wrmsr
global hostile_divide_by_zero, hostile_read, hostile_write, hostile_call, hostile_set_nt, hostile_flags

hostile_cli:
    cli
    ret
hostile_hlt:
    hlt
    ret
hostile_out:
    mov dx, 0xF4                ; the QEMU exit port: must not let the program end the machine
    mov al, 0
    out dx, al
    ret
hostile_mov_cr3:
    xor eax, eax
    mov cr3, rax
    ret
hostile_wrmsr:
    mov ecx, 0xC0000082         ; LSTAR: would redirect every system call
    xor eax, eax
    xor edx, edx
    wrmsr
    ret
hostile_divide_by_zero:         ; rdi = dividend, rsi = divisor (0): #DE
    mov rax, rdi
    cqo
    idiv rsi
    ret
hostile_read:                   ; rdi = address -> rax = the byte there
    movzx eax, byte [rdi]
    ret
hostile_write:                  ; rdi = address, sil = value
    mov [rdi], sil
    ret
hostile_call:                   ; rdi = address to call
    call rdi
    ret
hostile_set_nt:                 ; sets RFLAGS.NT (popfq may, in ring 3) -> rax = rflags after
    pushfq
    or qword [rsp], 0x4000
    popfq
    pushfq
    pop rax
    ret
hostile_flags:                  ; rax = rflags
    pushfq
    pop rax
    ret
