; Entry and exit paths between user mode, interrupts and the C# kernel.
; - isr_N (IDT vectors 0-47, installed by X64/Idt.cs via the isr_table): push a TrapFrame
;   (X64/TrapFrame.cs), save FPU/SSE state just below it, call ExoSharpTrap(TrapFrame*)
;   (C#: Core/Traps.cs, System V, interrupts off), restore, iretq.
; - syscall_entry (MSR LSTAR, X64/Msr.cs): EnvId is answered at once from exo_current_id;
;   every other call builds the same TrapFrame (vector 256) on the
;   kernel trap stack and calls ExoSharpSyscall(TrapFrame*) (C#: Core/Syscalls.cs), which
;   leaves its result in the frame's rax; returns with sysretq to the frame's rip. Every
;   register but rax, rcx, r11 comes back as it was; SSE state is saved and restored.
; - exo_resume_user(UserContext*) (C#: X64/UserMode.cs): the FXSAVE area and TrapFrame as a
;   trap leaves them on the stack (512 + 176 bytes), loaded into the CPU; iretq. The kernel
;   switches environments by saving the current frame and resuming another's context.
; The layout FXSAVE area at rsp, TrapFrame at rsp + 512 is shared by all three paths.

bits 64
default rel

extern ExoSharpTrap, ExoSharpSyscall
global isr_table, syscall_entry, exo_resume_user, exo_idle, exo_trap_stack_top, exo_current_id

USER_CS equ 0x2B
USER_DS equ 0x23
SYSCALL_VECTOR equ 256          ; TrapFrame.Vector of a system call
SYS_ENVID      equ 3            ; ExoSharp.Abi.Syscall.EnvId: answered without entering C#

; The general registers of a TrapFrame (X64/TrapFrame.cs: r15 at the lowest address, rax
; at the highest): the one place that layout is spelled out in assembly.
%macro PUSH_GPRS 0
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
%endmacro
%macro POP_GPRS 0
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
%endmacro

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
    PUSH_GPRS
    mov rdi, rsp                ; TrapFrame*
    sub rsp, 512
    fxsave [rsp]
    call ExoSharpTrap
    fxrstor [rsp]
    add rsp, 512
    POP_GPRS
    add rsp, 16                 ; vector, error code
    iretq

syscall_entry:
    cmp rax, SYS_ENVID          ; fast path: only rax changes, nothing else is touched
    jne .general
    mov rax, [exo_current_id]
    o64 sysret
.general:
    mov [saved_user_rsp], rsp
    lea rsp, [exo_trap_stack_top]
    push USER_DS                ; the same TrapFrame as isr_common builds
    push qword [saved_user_rsp]
    push r11                    ; user rflags
    push USER_CS
    push rcx                    ; user rip
    push 0                      ; error code
    push SYSCALL_VECTOR
    PUSH_GPRS
    mov rdi, rsp                ; TrapFrame*
    sub rsp, 512
    fxsave [rsp]
    call ExoSharpSyscall        ; the result is in the frame's rax
    fxrstor [rsp]
    add rsp, 512
    POP_GPRS
    mov rcx, [rsp + 16]         ; rip (the kernel may have changed it: always a user address)
    mov r11, [rsp + 32]         ; rflags
    mov rsp, [rsp + 40]         ; user rsp
    o64 sysret

; exo_resume_user(rdi = UserContext*: 512-byte FXSAVE area, then a TrapFrame): loads every
; register from the context and iretq's to ring 3. Interrupts off. Never returns.
exo_resume_user:
    mov rsp, rdi
    fxrstor [rsp]
    add rsp, 512
    POP_GPRS
    add rsp, 16
    iretq

; exo_idle(): interrupts on, halt until an interrupt, interrupts off again; returns.
exo_idle:
    sti
    hlt
    cli
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
exo_current_id: resq 1          ; the running environment's id (Core/Scheduler.cs keeps it)
alignb 4096
exo_trap_stack: resb 65536
exo_trap_stack_top:
