; exo_gc_collect(): the collector's entry (caller: Core/Collector.cs, System V, no arguments,
; interrupts off). Spills the callee-saved registers (rbx, rbp, r12-r15: the only ones that can
; hold a caller's references across this call) onto the stack, then calls
; ExoSharpCollectFrom(rdi = rsp), which scans the stack conservatively from rdi upward, so the
; spilled registers are seen. Restores them and returns.

bits 64
default rel
section .text

global exo_gc_collect
extern ExoSharpCollectFrom

exo_gc_collect:
    push rbx
    push rbp
    push r12
    push r13
    push r14
    push r15
    mov rdi, rsp
    sub rsp, 8                  ; 16-byte alignment at the call
    call ExoSharpCollectFrom
    add rsp, 8
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbp
    pop rbx
    ret
