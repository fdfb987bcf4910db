; User program entry, system call stub and exception entry. Linked first into every user
; program (user.ld). Callers and conventions:
; - _start: the kernel enters here in ring 3 with rdi = argument string, rsi = its length.
;   We call ExoSharpUserMain(rdi, rsi, rdx = module table start, rcx = end, r8 = image
;   start, r9 = image end) (C#: Startup.cs, System V) and pass its result to Exit.
; - exo_syscall(rdi, rsi, rdx, rcx, r8, r9 = number) (C#: SystemCall.cs, System V): moves
;   the number to rax and the 4th argument to r10, executes syscall, returns rax.
; - exo_syscall1(rdi, rsi = number): the same for a call that reads one argument.
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
; - exo_exception_entry (exo_exception_entry_fx where the CPU has no XSAVE): where the kernel
;   sends CPU exceptions and slice and revocation upcalls (Exceptions.Entry names it), with
;   rdi = rsp = an ExoSharp.Abi.ExceptionFrame on the exception stack (64-byte aligned, as the
;   kernel places it). It saves the interrupted code's x87/SSE/AVX state first in a save area
;   below the frame (64-byte aligned; ExtendedState.cs finds it from the frame): with XSAVE only
;   what compiled C# can change, the SSE component (xmm0-15, MXCSR); the x87 and AVX components
;   stay in the registers (compiled C# never touches them: x86-64-v2, no VEX) until
;   exo_xstate_complete saves them too (ExtendedState.Of, before anyone reads or replaces the
;   area). The word after the area says which components the resume path restores. FXSAVE saves
;   everything at once. It records the area as the lowest live address of the exception stack
;   (exo_upcall_low_cell), then calls the handler in exo_exception_target (a plain code address,
;   never a fat function pointer: Exceptions.cs keeps it; ExoSharpException when there is
;   none), but a Revoke upcall always goes to ExoSharpException(frame). It then resumes the
;   interrupted code from the frame and the save area (a handler may change both) without
;   entering the kernel: the extended state restored, an iretq frame (rip, cs, rflags, rsp, ss)
;   pushed below the save area, the low mark set to the rsp it resumes (live frames are at or
;   above it; off the exception stack there are none), every general register loaded from the
;   frame, and iretq, which sets rip, rflags and rsp at once. The frame carries its own return
;   path: no global word is read to resume, so an upcall may land at any instruction of the path
;   (it nests below rsp and returns here), and nested upcalls and several threads are safe.
; - exo_xstate_init() (from _start, before any C#): the mask (0: FXSAVE only), the save
;   area's size and its distance below a frame; exo_xstate_mask(), exo_xstate_size() and
;   exo_xstate_reserve() read them back (C#: ExtendedState.cs).
; - exo_xstate_complete(rdi = a live upcall's save area): saves the components the entry left
;   in the registers (nothing after the first call, nor with FXSAVE) and makes the resume path
;   restore every component. Precondition: no code since the entry changed x87 or AVX state.
; - exo_upcall_low_cell() -> rax: the address of the word the entry and resume paths keep the
;   lowest live address of the exception stack in (the collector's bound; docs/runtime.md): the
;   exception stack's last word, above the kernel's first frame. Not a global variable: the
;   image's pages are copy-on-write after a fork, and a write there from the entry would fault
;   inside the entry, before the fault's handler could copy the page.

bits 64
default rel

extern ExoSharpUserMain, ExoSharpException, __start___modules, __stop___modules
extern __image_start, __image_end
global _start, exo_syscall, exo_syscall1, exo_exception_entry, exo_exception_entry_address, exo_fork
global exo_exception_target_cell, exo_exception_dispatch_address, exo_ipc, exo_xstate_mask, exo_xstate_size
global exo_xstate_reserve, exo_xstate_complete, exo_upcall_low_cell
global exo_exception_entry_fx, exo_exception_entry_resume, exo_exception_entry_iretq
global exo_exception_entry_fx_resume, exo_exception_entry_fx_iretq

SYS_EXIT     equ 1
UPCALL_REVOKE equ 0x102         ; ExoSharp.Abi.UpcallVector.Revoke: always through ExoSharpException
XSAVE_AREA   equ 832            ; the largest area: x87 + SSE + AVX (all the kernel enables)
XSAVE_RESERVE equ 896           ; the area, then 64 bytes: the restore mask's word at XSAVE_AREA
XSAVE_EAGER  equ 2              ; what the entry saves: the SSE component (xmm0-15, MXCSR)
FXSAVE_RESERVE equ 512
EXCEPTION_STACK_TOP equ 0x70000000 ; ExOS's Layout.ExceptionStackTop (tests/Unit checks they agree)
UPCALL_LOW   equ EXCEPTION_STACK_TOP - 8    ; the low mark's word (exo_upcall_low_cell)
USER_CS      equ 0x2B           ; the kernel's ring-3 selectors (Kernel/Boot/boot.asm's GDT),
USER_SS      equ 0x23           ; what iretq loads back
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

; exo_syscall1(rdi = the argument, rsi = number) -> rax: a call that reads one argument (the
; kernel reads no other register for it, so none is set).
exo_syscall1:
    mov rax, rsi
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
    cmp qword [xstate_mask], 0
    jne .done
    lea rax, [exo_exception_entry_fx]
.done:
    ret

; exo_exception_target_cell() -> rax = the address of exo_exception_target (Exceptions.cs).
exo_exception_target_cell:
    lea rax, [exo_exception_target]
    ret

; exo_exception_dispatch_address() -> rax = ExoSharpException, the target for anything
; exo_exception_target cannot call directly.
exo_exception_dispatch_address:
    lea rax, [ExoSharpException]
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
    test edx, edx
    jnz .fx                     ; state above bit 31: not ours to handle
    mov r8d, eax
    mov eax, 0x0D
    xor ecx, ecx
    cpuid
    cmp ebx, XSAVE_AREA
    ja .fx                      ; more than the area holds (the kernel enables less)
    mov [xstate_mask], r8
    mov [xstate_size], rbx
    mov qword [xstate_reserve], XSAVE_RESERVE
    pop rbx
    ret
.fx:
    mov qword [xstate_mask], 0
    mov qword [xstate_size], 512
    mov qword [xstate_reserve], FXSAVE_RESERVE
    pop rbx
    ret

exo_xstate_reserve:
    mov rax, [xstate_reserve]
    ret

exo_xstate_mask:
    mov rax, [xstate_mask]
    ret

exo_xstate_size:
    mov rax, [xstate_size]
    ret

; Two copies of the entry and resume path, one per way of saving (Exceptions.Entry gives the
; kernel the one exo_xstate_init chose), so that neither tests which at every upcall. The
; save area is a constant distance below the frame (both 64-byte aligned), so the frame is
; found from rsp alone. XSAVE writes no header byte but XSTATE_BV's bits for the components it
; saves, and XRSTOR refuses any bit there that XCR0 lacks or anything in the next 16 bytes
; (XCOMP_BV and one reserved word): the stack below a frame holds anything, so those three
; words are cleared. The XSAVE copy saves XSAVE_EAGER and writes it as the restore mask
; (exo_xstate_complete widens both); XRSTOR leaves the components outside its mask as they are.
%macro ENTRY 4                  ; name, save instruction, restore instruction, reserve
%1:
    sub rsp, %4                 ; the save area; the frame is at rsp + %4
    mov [abs UPCALL_LOW], rsp   ; this upcall's area: the lowest live address
%ifidn %2, xsave64
    mov qword [rsp + 512], 0
    mov qword [rsp + 520], 0
    mov qword [rsp + 528], 0
    mov eax, XSAVE_EAGER        ; XSAVE's mask (EDX:EAX; XCR0 has nothing above bit 31)
    mov [rsp + XSAVE_AREA], eax ; the restore mask
%endif
    %2 [rsp]
    cmp qword [rdi], UPCALL_REVOKE
    je %%dispatch
    call [exo_exception_target] ; handler(rdi = frame); rsp = the save area
%1_resume:                      ; rsp = the save area, the frame above it
%ifidn %3, xrstor64
    mov eax, [rsp + XSAVE_AREA]
%endif
    %3 [rsp]
    push USER_SS                ; an iretq frame below the save area
    push qword [rsp + 8 + %4 + REG(17)]     ; rsp
    mov rax, [rsp]
    mov [abs UPCALL_LOW], rax   ; live frames are at or above the rsp resumed
    push qword [rsp + 16 + %4 + REG(16)]    ; rflags
    push USER_CS
    push qword [rsp + 32 + %4 + REG(15)]    ; rip
    mov r15, [rsp + 40 + %4 + REG(0)]
    mov r14, [rsp + 40 + %4 + REG(1)]
    mov r13, [rsp + 40 + %4 + REG(2)]
    mov r12, [rsp + 40 + %4 + REG(3)]
    mov r11, [rsp + 40 + %4 + REG(4)]
    mov r10, [rsp + 40 + %4 + REG(5)]
    mov r9,  [rsp + 40 + %4 + REG(6)]
    mov r8,  [rsp + 40 + %4 + REG(7)]
    mov rbp, [rsp + 40 + %4 + REG(8)]
    mov rdi, [rsp + 40 + %4 + REG(9)]
    mov rsi, [rsp + 40 + %4 + REG(10)]
    mov rdx, [rsp + 40 + %4 + REG(11)]
    mov rcx, [rsp + 40 + %4 + REG(12)]
    mov rbx, [rsp + 40 + %4 + REG(13)]
    mov rax, [rsp + 40 + %4 + REG(14)]
%1_iretq:
    iretq
%%dispatch:
    call ExoSharpException
    jmp %1_resume
%endmacro

    ENTRY exo_exception_entry, xsave64, xrstor64, XSAVE_RESERVE
    ENTRY exo_exception_entry_fx, fxsave64, fxrstor64, FXSAVE_RESERVE

; exo_xstate_complete(rdi = area): XSAVE of the components the entry left in the registers
; (XCR0 less SSE; with AVX it also writes MXCSR, unchanged since), then every component is
; restored. XSTATE_BV's SSE bit stays as the entry's XSAVE wrote it.
exo_xstate_complete:
    mov rax, [xstate_mask]
    test rax, rax
    jz .done                    ; FXSAVE saved everything
    cmp [rdi + XSAVE_AREA], eax
    je .done                    ; already complete
    and eax, ~XSAVE_EAGER
    xor edx, edx
    xsave64 [rdi]
    mov rax, [xstate_mask]
    mov [rdi + XSAVE_AREA], eax
.done:
    ret

exo_upcall_low_cell:
    mov eax, UPCALL_LOW
    ret

section .data
align 8
exo_exception_target: dq ExoSharpException  ; called for every upcall but Revoke (Exceptions.cs)

section .bss
alignb 8
xstate_mask: resq 1             ; XCR0 when XSAVE is on, else 0 (exo_xstate_init)
xstate_size: resq 1             ; the save area's size in bytes
xstate_reserve: resq 1          ; the area starts that far below a frame (XSAVE_RESERVE or FXSAVE_RESERVE)
