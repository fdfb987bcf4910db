; User program entry, system call stub and exception entry. Linked first into every user
; program (user.ld). Callers and conventions:
; - _start: the kernel enters here in ring 3 with rdi = argument string, rsi = its length.
;   We call ExoSharpUserMain(rdi, rsi, rdx = module table start, rcx = end, r8 = image
;   start, r9 = image end) (C#: Startup.cs, System V) and pass its result to Exit.
; - exo_syscall(rdi, rsi, rdx, rcx, r8, r9 = number) (C#: SystemCall.cs, System V): moves
;   the number to rax and the 4th argument to r10, executes syscall, returns rax.
; - exo_ipc(rdi, rsi, rdx, rcx, r8, r9 = number, [rsp + 8] = IpcMessage* received) (C#:
;   SystemCall.cs, System V): a system call like exo_syscall for the IPC calls that deliver
;   a message in registers; when it returns 0 and received is not null, stores rdi (From),
;   rsi, rdx, r10 (the words), r8 (FrameHandle), r9 (FrameFlags) there.
; - exo_fork(rdi = finish) (C#: Process.cs, System V): the fork primitive. Saves the
;   callee-saved registers on the stack and calls finish(rdi = exo_fork_child, rsi = that
;   stack pointer), which creates and starts the child with those as its rip and rsp; the
;   parent returns finish's result. The child starts at
;   exo_fork_child on its copy of the stack: it restores the same registers and returns 0.
;   Nothing at or above the saved rsp is written between the save and the copy, so the
;   child's view of its callers' frames is exactly the parent's.
; - exo_exception_entry: where the kernel sends CPU exceptions and slice and revocation
;   upcalls (Exceptions.cs registers it), with rdi = rsp = an ExoSharp.Abi.ExceptionFrame on
;   the exception stack (16-byte aligned, as the kernel places it). It saves the interrupted
;   code's x87/SSE/AVX state first (XSAVE with the mask XCR0 holds, or FXSAVE: see
;   exo_xstate_init) in a save area just below the frame (64-byte aligned; ExtendedState.cs
;   finds it from the frame), then calls the handler in exo_exception_target directly when
;   one is set and the upcall is not Revoke, else ExoSharpException(frame) (C#:
;   Exceptions.cs, which keeps exo_exception_target: a plain code address, never a fat
;   function pointer). It then resumes the interrupted code from the frame and the save area
;   (a handler may change both) without entering the kernel: the extended state restored,
;   an iretq frame (rip, cs, rflags, rsp, ss) built just below the ExceptionFrame, every
;   general register loaded from the frame, and iretq, which sets rip, rflags and rsp at
;   once. The frame carries its own return path: no global word is written, so an upcall
;   may land at any instruction of the path (it nests below rsp and returns here), and
;   nested upcalls and several threads are safe.
; - exo_xstate_init() (from _start, before any C#): the mask (0: FXSAVE only) and the save
;   area's size; exo_xstate_mask() and exo_xstate_size() read them back (C#: ExtendedState.cs).

bits 64
default rel

extern ExoSharpUserMain, ExoSharpException, __start___modules, __stop___modules
extern __image_start, __image_end
global _start, exo_syscall, exo_exception_entry, exo_exception_entry_address, exo_fork
global exo_exception_target_cell, exo_ipc, exo_xstate_mask, exo_xstate_size
global exo_exception_resume, exo_exception_resume_end

SYS_EXIT     equ 1
UPCALL_REVOKE equ 0x102         ; ExoSharp.Abi.UpcallVector.Revoke: always through ExoSharpException
; ExceptionFrame: Vector, ErrorCode, FaultAddress, then Registers: r15 r14 r13 r12 r11 r10 r9
; r8 rbp rdi rsi rdx rcx rbx rax rip rflags rsp.
REGS         equ 24
%define REG(n) (REGS + (n) * 8)

section .text
_start:
    xor ebp, ebp
    and rsp, -16
    push rdi
    push rsi
    call exo_xstate_init
    pop rsi
    pop rdi
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
    jnz .done
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

; The extended state to save at every upcall: CPUID.1:ECX.OSXSAVE (bit 27) says the kernel
; turned XSAVE on; then the mask is XCR0 (xgetbv) and the size CPUID.(EAX=0Dh,ECX=0):EBX,
; the standard-form area for the features XCR0 enables. Otherwise FXSAVE's 512 bytes.
; Clobbers rax, rbx, rcx, rdx.
exo_xstate_init:
    push rbx
    mov eax, 1
    cpuid
    bt ecx, 27
    jnc .fx
    xor ecx, ecx
    xgetbv
    mov [xstate_mask], eax
    mov [xstate_mask + 4], edx
    mov eax, 0x0D
    xor ecx, ecx
    cpuid
    mov [xstate_size], rbx
    pop rbx
    ret
.fx:
    mov qword [xstate_mask], 0
    mov qword [xstate_size], 512
    pop rbx
    ret

exo_xstate_mask:
    mov rax, [xstate_mask]
    ret

exo_xstate_size:
    mov rax, [xstate_size]
    ret

exo_exception_entry:
    mov rbx, rdi                ; the frame (callee-saved: kept across the handler)
    sub rsp, [xstate_size]
    and rsp, -64                ; the save area, just below the frame
    mov eax, [xstate_mask]
    mov edx, [xstate_mask + 4]
    test eax, eax
    jz .fxsave
    xsave64 [rsp]
    jmp .saved
.fxsave:
    fxsave64 [rsp]
.saved:
    mov rax, [exo_exception_target]
    mov rdi, rbx
    test rax, rax
    jz exo_exception_dispatch
    cmp qword [rbx], UPCALL_REVOKE
    je exo_exception_dispatch
    call rax                    ; handler(frame); rsp = the save area, 64-byte aligned
exo_exception_resume:           ; rsp = the save area, rbx = the frame
    mov eax, [xstate_mask]
    mov edx, [xstate_mask + 4]
    test eax, eax
    jz .fxrstor
    xrstor64 [rsp]
    jmp .restored
.fxrstor:
    fxrstor64 [rsp]
.restored:
    lea rsp, [rbx - 40]         ; the iretq frame, just below the ExceptionFrame
    mov rax, [rbx + REG(15)]
    mov [rsp], rax              ; rip
    mov eax, cs
    mov [rsp + 8], rax
    mov rax, [rbx + REG(16)]
    mov [rsp + 16], rax         ; rflags
    mov rax, [rbx + REG(17)]
    mov [rsp + 24], rax         ; rsp
    mov eax, ss
    mov [rsp + 32], rax
    mov r15, [rsp + 40 + REG(0)]
    mov r14, [rsp + 40 + REG(1)]
    mov r13, [rsp + 40 + REG(2)]
    mov r12, [rsp + 40 + REG(3)]
    mov r11, [rsp + 40 + REG(4)]
    mov r10, [rsp + 40 + REG(5)]
    mov r9,  [rsp + 40 + REG(6)]
    mov r8,  [rsp + 40 + REG(7)]
    mov rbp, [rsp + 40 + REG(8)]
    mov rdi, [rsp + 40 + REG(9)]
    mov rsi, [rsp + 40 + REG(10)]
    mov rdx, [rsp + 40 + REG(11)]
    mov rcx, [rsp + 40 + REG(12)]
    mov rbx, [rsp + 40 + REG(13)]
    mov rax, [rsp + 40 + REG(14)]
    iretq
exo_exception_resume_end:
exo_exception_dispatch:
    call ExoSharpException
    jmp exo_exception_resume

section .bss
alignb 8
exo_exception_target: resq 1    ; the C# handler called for every upcall but Revoke (0: none)
xstate_mask: resq 1             ; XCR0 when XSAVE is on, else 0 (exo_xstate_init)
xstate_size: resq 1             ; the save area's size in bytes
