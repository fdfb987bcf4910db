; Entry and exit paths between user mode, interrupts and the C# kernel.
; - isr_N (IDT vectors 0-47, installed by X64/Idt.cs via the isr_table): push a uniform
;   TrapFrame (X64/TrapFrame.cs), save FPU/SSE state, call ExoSharpTrap(TrapFrame*) (C#,
;   System V, interrupts off), restore, iretq.
; - syscall_entry (MSR LSTAR, set by X64/Syscalls setup): user rax = number, rdi, rsi, rdx,
;   r10, r8 = arguments. Calls ExoSharpSyscall(rdi, rsi, rdx, rcx = r10, r8, r9 = number)
;   on the kernel trap stack with interrupts off; returns rax to the user with sysretq.
;   Every register but rax, rcx, r11 is preserved; SSE state is saved and restored, so no
;   kernel value is left in any register.
; - exo_enter_user(UserEntry* e) (C#: X64/UserMode.Enter): saves the kernel's callee-saved
;   registers and stack, then iretq to ring 3 at e->rip with e->rsp, rdi = e->arg0,
;   rsi = e->arg1, every other register zero. Returns only when exo_leave_user(value) is
;   called (C#: X64/UserMode.Leave, from a trap or system call), with rax = value.

bits 64
default rel

extern ExoSharpTrap, ExoSharpSyscall
global isr_table, syscall_entry, exo_enter_user, exo_leave_user, exo_trap_stack_top

USER_CS equ 0x2B
USER_DS equ 0x23

section .text

%macro ISR_NOERR 1
isr_%1:
    push 0
    push %1
    jmp isr_common
%endmacro
%macro ISR_ERR 1
isr_%1:
    push %1
    jmp isr_common
%endmacro

%assign i 0
%rep 48
%if i == 8 || (i >= 10 && i <= 14) || i == 17 || i == 21 || i == 29 || i == 30
    ISR_ERR i
%else
    ISR_NOERR i
%endif
%assign i i+1
%endrep

isr_common:
    cld
    push rax
    push rbx
    push rcx
    push rdx
    push rsi
    push rdi
    push rbp
    push r8
    push r9
    push r10
    push r11
    push r12
    push r13
    push r14
    push r15
    mov rdi, rsp                ; TrapFrame*
    sub rsp, 512
    fxsave [rsp]
    call ExoSharpTrap
    fxrstor [rsp]
    add rsp, 512
    pop r15
    pop r14
    pop r13
    pop r12
    pop r11
    pop r10
    pop r9
    pop r8
    pop rbp
    pop rdi
    pop rsi
    pop rdx
    pop rcx
    pop rbx
    pop rax
    add rsp, 16                 ; vector, error code
    iretq

syscall_entry:
    mov [saved_user_rsp], rsp
    lea rsp, [exo_trap_stack_top]
    push qword [saved_user_rsp]
    push rcx                    ; user rip
    push r11                    ; user rflags
    push rdi
    push rsi
    push rdx
    push r10
    push r8
    push r9
    push rbp                    ; 10 pushes: rsp is 16-aligned again
    sub rsp, 512
    fxsave [rsp]
    mov rcx, r10
    mov r9, rax
    call ExoSharpSyscall
    fxrstor [rsp]
    add rsp, 512
    pop rbp
    pop r9
    pop r8
    pop r10
    pop rdx
    pop rsi
    pop rdi
    pop r11
    pop rcx
    pop rsp
    o64 sysret

; exo_enter_user(rdi = UserEntry*: +0 rip, +8 rsp, +16 arg0, +24 arg1, +32 rflags)
exo_enter_user:
    push rbx
    push rbp
    push r12
    push r13
    push r14
    push r15
    mov [kernel_rsp], rsp
    push USER_DS
    push qword [rdi + 8]
    push qword [rdi + 32]
    push USER_CS
    push qword [rdi]
    mov rsi, [rdi + 24]
    mov rdi, [rdi + 16]
    xor eax, eax
    xor ebx, ebx
    xor ecx, ecx
    xor edx, edx
    xor ebp, ebp
    xor r8d, r8d
    xor r9d, r9d
    xor r10d, r10d
    xor r11d, r11d
    xor r12d, r12d
    xor r13d, r13d
    xor r14d, r14d
    xor r15d, r15d
    fninit
    iretq

; exo_leave_user(rdi = value): abandon the current trap or system call frame and return
; from exo_enter_user with rax = value.
exo_leave_user:
    mov rax, rdi
    mov rsp, [kernel_rsp]
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbp
    pop rbx
    ret

section .data
align 8
isr_table:
%assign i 0
%rep 48
    dq isr_ %+ i
%assign i i+1
%endrep

section .bss
alignb 16
saved_user_rsp: resq 1
kernel_rsp:     resq 1
alignb 4096
exo_trap_stack: resb 65536
exo_trap_stack_top:
