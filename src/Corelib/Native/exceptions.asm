; Exception entry points and funclet calls, linked into the kernel and every user program.
; Callers: compiler-generated code (RhpThrowEx, RhpRethrow), ExOS's exception upcall (which
; points a faulting frame at RhpThrowHwEx) and the C# dispatcher
; (System/Runtime/ExceptionHandling.cs, System V). A RegisterContext (Internal/Runtime/
; RegisterContext.cs) is 8 words: rip, rsp, rbx, rbp, r12, r13, r14, r15.
; - RhpThrowEx(rdi = exception), RhpRethrow(), RhpThrowHwEx(edi = hardware code, [rsp] = the
;   faulting rip + 1 as if it were a return address): capture the thrower's context (rip = the
;   return address, rsp above it, callee-saved registers as they are) and call
;   ExoSharpDispatchException(rdi = exception or null, rsi = context, edx = kind: 0 throw,
;   1 rethrow, else the hardware code), which never returns.
; - exo_call_catch(rdi = exception, rsi = handler, rdx = context of the catching frame,
;   rcx = ExInfo*): runs the catch funclet with that frame's callee-saved registers, then
;   resumes the frame at the address the funclet returns, with rsp from the context. Never
;   returns.
; - exo_call_finally(rdi = handler, rsi = context, rdx = ExInfo*) and
;   exo_call_filter(rdi = exception, rsi = filter, rdx = context, rcx = ExInfo*) -> eax: run
;   the funclet and return to the dispatcher, its callee-saved registers intact; the finally's
;   registers are written back to the context.
;   All three keep the ExInfo* at [rsp + 8] as seen from the funclet's caller frame (the
;   dispatcher's unwinder reads it there: EXINFO_SLOT in ExceptionHandling.cs), and return
;   into exo_catch_return / exo_finally_return / exo_filter_return, which the unwinder knows.
; - exo_resume_filter(rdi = rip, rsi = rsp): an exception escaped a filter: continue in
;   exo_call_filter as if the filter had returned 0.
; - exo_eh_frame_bounds(rdi = ulong[2] out): the linker's __eh_frame_start and __eh_frame_end.
; - exo_eh_labels(rdi = ulong[3] out): exo_catch_return, exo_finally_return, exo_filter_return.
; - exo_throw_hw_address() -> rax: RhpThrowHwEx, for Internal/Runtime/HardwareFaults.cs.

bits 64
default rel
section .text

global RhpThrowEx, RhpRethrow, RhpThrowHwEx
global exo_call_catch, exo_call_finally, exo_call_filter, exo_resume_filter
global exo_catch_return, exo_finally_return, exo_filter_return, exo_eh_frame_bounds, exo_eh_labels
extern ExoSharpDispatchException, __eh_frame_start, __eh_frame_end

CTX_RIP equ 0
CTX_RSP equ 8
CTX_RBX equ 16
CTX_RBP equ 24
CTX_R12 equ 32
CTX_R13 equ 40
CTX_R14 equ 48
CTX_R15 equ 56

; The context is built on the stack: entry rsp = E (E = 8 mod 16); 72 bytes keep the call aligned.
%macro CAPTURE 0
    sub rsp, 72
    mov rax, [rsp + 72]
    mov [rsp + CTX_RIP], rax
    lea rax, [rsp + 80]
    mov [rsp + CTX_RSP], rax
    mov [rsp + CTX_RBX], rbx
    mov [rsp + CTX_RBP], rbp
    mov [rsp + CTX_R12], r12
    mov [rsp + CTX_R13], r13
    mov [rsp + CTX_R14], r14
    mov [rsp + CTX_R15], r15
    mov rsi, rsp
%endmacro

RhpThrowEx:
    CAPTURE
    xor edx, edx
    call ExoSharpDispatchException
    int3

RhpRethrow:
    CAPTURE
    xor edi, edi
    mov edx, 1
    call ExoSharpDispatchException
    int3

RhpThrowHwEx:                           ; a leaf may fault with rsp not 16-aligned: realign
    mov edx, edi
    mov rax, rsp
    and rsp, -16
    sub rsp, 64
    mov rcx, [rax]
    mov [rsp + CTX_RIP], rcx
    lea rcx, [rax + 8]
    mov [rsp + CTX_RSP], rcx
    mov [rsp + CTX_RBX], rbx
    mov [rsp + CTX_RBP], rbp
    mov [rsp + CTX_R12], r12
    mov [rsp + CTX_R13], r13
    mov [rsp + CTX_R14], r14
    mov [rsp + CTX_R15], r15
    mov rsi, rsp
    xor edi, edi
    call ExoSharpDispatchException
    int3

%macro SAVE_AND_CALL 2                  ; %1 = context register, %2 = ExInfo register
    push rbp
    push rbx
    push r12
    push r13
    push r14
    push r15
    push %1
    push %2                             ; [rsp + 8] after the funclet's return
    sub rsp, 8
%endmacro

exo_call_catch:
    SAVE_AND_CALL rdx, rcx
    mov rbx, [rdx + CTX_RBX]
    mov rbp, [rdx + CTX_RBP]
    mov r12, [rdx + CTX_R12]
    mov r13, [rdx + CTX_R13]
    mov r14, [rdx + CTX_R14]
    mov r15, [rdx + CTX_R15]
    call rsi                            ; rdi = exception; returns the resume address
exo_catch_return:
    mov rdx, [rsp + 16]
    mov rsp, [rdx + CTX_RSP]
    jmp rax

exo_call_finally:
    SAVE_AND_CALL rsi, rdx
    mov rbx, [rsi + CTX_RBX]
    mov rbp, [rsi + CTX_RBP]
    mov r12, [rsi + CTX_R12]
    mov r13, [rsi + CTX_R13]
    mov r14, [rsi + CTX_R14]
    mov r15, [rsi + CTX_R15]
    call rdi
exo_finally_return:
    mov rsi, [rsp + 16]
    mov [rsi + CTX_RBX], rbx
    mov [rsi + CTX_RBP], rbp
    mov [rsi + CTX_R12], r12
    mov [rsi + CTX_R13], r13
    mov [rsi + CTX_R14], r14
    mov [rsi + CTX_R15], r15
    jmp restore

exo_call_filter:
    SAVE_AND_CALL rdx, rcx
    mov rbp, [rdx + CTX_RBP]
    call rsi                            ; rdi = exception; eax = 0 or 1
exo_filter_return:
restore:
    add rsp, 24
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbx
    pop rbp
    ret

exo_resume_filter:
    mov rsp, rsi
    xor eax, eax
    jmp rdi

exo_eh_frame_bounds:
    lea rax, [__eh_frame_start]
    mov [rdi], rax
    lea rax, [__eh_frame_end]
    mov [rdi + 8], rax
    ret

exo_eh_labels:
    lea rax, [exo_catch_return]
    mov [rdi], rax
    lea rax, [exo_finally_return]
    mov [rdi + 8], rax
    lea rax, [exo_filter_return]
    mov [rdi + 16], rax
    ret

global exo_throw_hw_address
exo_throw_hw_address:
    lea rax, [RhpThrowHwEx]
    ret
