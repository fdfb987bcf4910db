; User program entry, system call stub and exception entry. Linked first into every user
; program (user.ld). Callers and conventions:
; - _start: the kernel enters here in ring 3 with rdi = argument string, rsi = its length.
;   We call ExoSharpUserMain(rdi, rsi, rdx = module table start, rcx = end, r8 = image
;   start, r9 = image end) (C#: Startup.cs, System V) and pass its result to Exit.
; - exo_syscall(rdi, rsi, rdx, rcx, r8, r9 = number) (C#: SystemCall.cs, System V): moves
;   the number to rax and the 4th argument to r10, executes syscall, returns rax.
; - exo_ipc(rdi, rsi, rdx, rcx, r8, r9 = number, [rsp + 8] = IpcMessage* received) (C#:
;   SystemCall.cs, System V): a system call like exo_syscall for the IPC calls that deliver
;   a message in registers; when it returns 0 or more (a wait returns the reply capability's
;   handle) and received is not null, stores rdi (From), rsi, rdx, r10 (the words), r8
;   (Handle), r9 (HandleFlags) there.
; - exo_fork(rdi = finish) (C#: Process.cs, System V): the fork primitive. Saves the
;   callee-saved registers on the stack and calls finish(rdi = exo_fork_child, rsi = that
;   stack pointer), which creates and starts the child with those as its rip and rsp; the
;   parent returns finish's result. The child starts at
;   exo_fork_child on its copy of the stack: it restores the same registers and returns 0.
;   Nothing at or above the saved rsp is written between the save and the copy, so the
;   child's view of its callers' frames is exactly the parent's.
; - exo_exception_entry: where the kernel sends CPU exceptions (Exceptions.cs registers it),
;   with rdi = rsp = an ExoSharp.Abi.ExceptionFrame on the exception stack (16-byte aligned,
;   as the kernel places it). Calls the handler in exo_exception_target directly when one is
;   set and the upcall is not Revoke, else ExoSharpException(frame) (C#: Exceptions.cs, which
;   keeps exo_exception_target: a plain code address, never a fat function pointer), then resumes the faulting code from the
;   frame without entering the kernel: every register, rflags and rsp restored, then a jump
;   through RESUME_SLOT (a word on the exception stack page, never copy-on-write, below the
;   2 GiB line so an absolute jmp can reach it; Layout.cs keeps it in step).

bits 64
default rel

extern ExoSharpUserMain, ExoSharpException, __start___modules, __stop___modules
extern __image_start, __image_end
global _start, exo_syscall, exo_exception_entry, exo_exception_entry_address, exo_fork
global exo_exception_target_cell, exo_ipc

SYS_EXIT     equ 1
RESUME_SLOT  equ 0x6FFFFFF0
UPCALL_REVOKE equ 0x102         ; ExoSharp.Abi.UpcallVector.Revoke: always through ExoSharpException
; ExceptionFrame: Vector, ErrorCode, FaultAddress, then Registers: r15 r14 r13 r12 r11 r10 r9
; r8 rbp rdi rsi rdx rcx rbx rax rip rflags rsp.
REGS         equ 24
%define REG(n) (REGS + (n) * 8)

section .text
_start:
    xor ebp, ebp
    and rsp, -16
    lea rdx, [__start___modules]
    lea rcx, [__stop___modules]
    lea r8, [__image_start]
    lea r9, [__image_end]
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

exo_ipc:
    push rbx
    mov rbx, [rsp + 16]         ; received
    mov rax, r9
    mov r10, rcx
    syscall
    test rax, rax
    js .done
    test rbx, rbx
    jz .done
    mov [rbx], rdi
    mov [rbx + 8], rsi
    mov [rbx + 16], rdx
    mov [rbx + 24], r10
    mov [rbx + 32], r8
    mov [rbx + 40], r9
.done:
    pop rbx
    ret

exo_fork:
    push rbx
    push rbp
    push r12
    push r13
    push r14
    push r15
    mov rax, rdi
    lea rdi, [exo_fork_child]
    mov rsi, rsp
    sub rsp, 8                  ; 16-byte alignment for the call
    call rax
    add rsp, 8
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbp
    pop rbx
    ret

exo_fork_child:
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbp
    pop rbx
    xor eax, eax
    ret

exo_exception_entry_address:
    lea rax, [exo_exception_entry]
    ret

; exo_exception_target_cell() -> rax = the address of exo_exception_target (Exceptions.cs).
exo_exception_target_cell:
    lea rax, [exo_exception_target]
    ret

exo_exception_entry:
    mov rax, [exo_exception_target]
    test rax, rax
    jz .dispatch
    cmp qword [rdi], UPCALL_REVOKE
    je .dispatch
    call rax                    ; handler(frame); rsp = the frame, 16-byte aligned
.resume:
    mov rdi, rsp                ; the frame: rsp is back where the kernel put it
    mov rax, [rdi + REG(15)]    ; rip
    mov [abs RESUME_SLOT], rax
    push qword [rdi + REG(16)]  ; rflags
    popfq
    mov r15, [rdi + REG(0)]
    mov r14, [rdi + REG(1)]
    mov r13, [rdi + REG(2)]
    mov r12, [rdi + REG(3)]
    mov r11, [rdi + REG(4)]
    mov r10, [rdi + REG(5)]
    mov r9,  [rdi + REG(6)]
    mov r8,  [rdi + REG(7)]
    mov rbp, [rdi + REG(8)]
    mov rsi, [rdi + REG(10)]
    mov rdx, [rdi + REG(11)]
    mov rcx, [rdi + REG(12)]
    mov rbx, [rdi + REG(13)]
    mov rax, [rdi + REG(14)]
    mov rsp, [rdi + REG(17)]
    mov rdi, [rdi + REG(9)]
    jmp [abs RESUME_SLOT]
.dispatch:
    call ExoSharpException
    jmp .resume

section .bss
alignb 8
exo_exception_target: resq 1    ; the C# handler called for every upcall but Revoke (0: none)
