; Runtime helpers that ILCompiler calls with contracts C# cannot express, linked into the
; kernel and every user program. Callers: compiler-generated code only.
; - Write barriers (RUNTIME-FACTS.md): the heap never moves and has no generations, so a
;   barrier is the plain store. RhpAssignRef/RhpCheckedAssignRef(rdi = destination,
;   rsi = reference); RhpByRefAssignRef copies [rsi] to [rdi] and advances both by 8.
; - RhpInitialDynamicInterfaceDispatch: r11 = dispatch cell, rdi = this. Fast path: the first
;   probe of the resolver's cache (exo_dispatch_cache, entries {cell, type, target}, indexed
;   as InterfaceDispatch.CacheIndex computes it); a hit jumps straight to the target, touching
;   only rax and r10. Otherwise saves every argument register, asks
;   ExoSharpResolveInterface(cell, this) (C#: Internal/Runtime/InterfaceDispatch.cs, System V)
;   for the target and tail-jumps to it.
; - exo_leaf_helper_bounds(rdi = ulong[3] out) (C#: Internal/Runtime/HardwareFaults.cs):
;   where faults belong to the compiled caller (below).
; - exo_dispatch_cache_address() -> rax: the cache, for the C# resolver (one table, two readers).
; - exo_copy_up(rdi = destination, rsi = source, rdx = length) and exo_fill(rdi = destination,
;   rsi = length, rdx = byte value) (C#: System/SpanHelpers.cs, System V): string
;   instructions, 8 bytes a step then the rest; exo_copy_up copies upward only (the caller
;   checks overlap). Both clear DF first; they clobber rax, rcx, rsi, rdi, r8.
; - exo_gc_collect() (C#: the platform's collector, Kernel/Core/Collector.cs or ExOS's
;   Collector.cs, System V, no arguments; the kernel calls it with interrupts off): spills the
;   callee-saved registers (rbx, rbp, r12-r15: the only ones that can hold a caller's references
;   across this call) onto the stack, then calls the platform's ExoSharpCollectFrom(rdi = rsp),
;   which scans the stack conservatively from rdi upward, so the spilled registers are seen.
; - RhpNewFast(rdi = MethodTable) -> rax: an object bumped from the heap's allocation area
;   (FreeListHeap.BumpObject's fast path: the {next, end} words GlobalHeap publishes with
;   exo_object_area_publish(rdi = words or 0)), its block header written, the rest's header
;   after it, the MethodTable stored (the area is zeroed). Inside it exo_object_area_busy()
;   is 1, so a user-level thread switch waits (GlobalHeap.Busy). When the area is not
;   published, or the object does not fit leaving at least 32 bytes, it tail-jumps to C#'s
;   ExoSharpNewObjectSlow (RuntimeExports.cs). Header flags as in FreeListHeap: InUse 1,
;   PrevInUse 2, ObjectFlag 4.

bits 64
default rel
section .text

global RhpAssignRef, RhpCheckedAssignRef, RhpByRefAssignRef, RhpAssignRefAVLocation
global RhpCheckedLockCmpXchg, RhpCheckedXchg
global RhpInitialDynamicInterfaceDispatch, RhpInitialInterfaceDispatch
global __security_cookie, exo_dispatch_cache_address, RhpTrapThreads
global exo_copy_up, exo_fill, exo_leaf_helper_bounds, exo_gc_collect
global RhpNewFast, exo_object_area_publish, exo_object_area_busy
extern ExoSharpCollectFrom, ExoSharpNewObjectSlow

DISPATCH_CACHE_BITS    equ 9
DISPATCH_CACHE_ENTRIES equ 1 << DISPATCH_CACHE_BITS
extern ExoSharpResolveInterface

exo_leaf_helpers_start:             ; from here to exo_leaf_helpers_end: no stack use, so a fault's
                                    ; [rsp] is the compiled caller's return address
RhpAssignRef:
RhpCheckedAssignRef:
RhpAssignRefAVLocation:
    mov [rdi], rsi
    ret

RhpByRefAssignRef:
    mov rcx, [rsi]
    mov [rdi], rcx
    add rdi, 8
    add rsi, 8
    ret

; RhpCheckedLockCmpXchg(rdi = destination, rsi = value, rdx = comparand) -> rax = old value
RhpCheckedLockCmpXchg:
    mov rax, rdx
    lock cmpxchg [rdi], rsi
    ret

; RhpCheckedXchg(rdi = destination, rsi = value) -> rax = old value
RhpCheckedXchg:
    mov rax, rsi
    xchg [rdi], rax
    ret
exo_leaf_helpers_end:

RhpInitialDynamicInterfaceDispatch:
RhpInitialInterfaceDispatch:
    test rdi, rdi
    jz .null_this                   ; no null check at the call site: fault like a call would
    mov r10, r11                    ; index = (((cell >> 4) ^ (type >> 3)) * K) >> (64 - bits)
    shr r10, 4
    mov rax, [rdi]
    shr rax, 3
    xor r10, rax
    imul r10, [dispatch_hash]
    shr r10, 64 - DISPATCH_CACHE_BITS
    lea r10, [r10 + r10 * 2]
    lea rax, [exo_dispatch_cache]
    lea r10, [rax + r10 * 8]        ; the entry
    cmp [r10], r11
    jne .resolve
    mov rax, [rdi]
    cmp [r10 + 8], rax
    jne .resolve
    jmp [r10 + 16]
.resolve:
    push rbp
    mov rbp, rsp
    push rdi
    push rsi
    push rdx
    push rcx
    push r8
    push r9
    sub rsp, 8 * 16                 ; xmm0-7; rsp stays 16-aligned for the call (entry 8 + 7 pushes)
    movdqu [rsp + 0x00], xmm0
    movdqu [rsp + 0x10], xmm1
    movdqu [rsp + 0x20], xmm2
    movdqu [rsp + 0x30], xmm3
    movdqu [rsp + 0x40], xmm4
    movdqu [rsp + 0x50], xmm5
    movdqu [rsp + 0x60], xmm6
    movdqu [rsp + 0x70], xmm7
    mov rsi, rdi                    ; this
    mov rdi, r11                    ; cell
    call ExoSharpResolveInterface
    mov r11, rax
    movdqu xmm0, [rsp + 0x00]
    movdqu xmm1, [rsp + 0x10]
    movdqu xmm2, [rsp + 0x20]
    movdqu xmm3, [rsp + 0x30]
    movdqu xmm4, [rsp + 0x40]
    movdqu xmm5, [rsp + 0x50]
    movdqu xmm6, [rsp + 0x60]
    movdqu xmm7, [rsp + 0x70]
    add rsp, 8 * 16
    pop r9
    pop r8
    pop rcx
    pop rdx
    pop rsi
    pop rdi
    pop rbp
    jmp r11
.null_this:
exo_null_this_fault:
    mov rax, [rdi]                  ; faults on page 0: a NullReferenceException at the caller
    ud2

; exo_leaf_helper_bounds(rdi = ulong[3] out): the leaf helpers' range and the dispatch stub's
; null-this fault, where a fault is the caller's (Internal/Runtime/HardwareFaults.cs).
exo_leaf_helper_bounds:
    lea rax, [exo_leaf_helpers_start]
    mov [rdi], rax
    lea rax, [exo_leaf_helpers_end]
    mov [rdi + 8], rax
    lea rax, [exo_null_this_fault]
    mov [rdi + 16], rax
    ret

exo_dispatch_cache_address:
    lea rax, [exo_dispatch_cache]
    ret

exo_copy_up:
    cld
    mov rcx, rdx
    shr rcx, 3
    rep movsq
    mov rcx, rdx
    and rcx, 7
    rep movsb
    ret

exo_fill:
    cld
    movzx eax, dl
    mov r8, 0x0101010101010101
    imul rax, r8
    mov rcx, rsi
    shr rcx, 3
    rep stosq
    mov rcx, rsi
    and rcx, 7
    rep stosb
    ret

RhpNewFast:
    mov rax, [exo_object_area]
    test rax, rax
    jz .slow
    mov ecx, [rdi + 4]          ; BaseSize
    add rcx, 31
    and rcx, -16                ; the block: a 16-byte header, 16-aligned
    mov dword [exo_object_busy], 1
    mov rdx, [rax]              ; next
    mov r8, [rax + 8]           ; end
    sub r8, rdx
    sub r8, rcx                 ; the rest
    jb .busy_slow
    cmp r8, 32
    jb .busy_slow               ; 0 or 16 left: C# gives the object the rest
    or r8, 3                    ; the rest: InUse | PrevInUse
    mov [rdx + rcx + 8], r8
    lea r8, [rcx + 7]           ; the object: InUse | PrevInUse | ObjectFlag
    mov [rdx + 8], r8
    lea r8, [rdx + rcx]
    mov [rax], r8
    lea rax, [rdx + 16]
    mov [rax], rdi              ; the MethodTable, before a thread switch can let a collection see it
    mov dword [exo_object_busy], 0
    ret
.busy_slow:
    mov dword [exo_object_busy], 0
.slow:
    jmp ExoSharpNewObjectSlow

exo_object_area_publish:
    mov [exo_object_area], rdi
    ret

exo_object_area_busy:
    mov eax, [exo_object_busy]
    ret

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

section .data
align 8
__security_cookie: dq 0x2B992DDFA232D0C5
dispatch_hash:     dq 0x9E3779B97F4A7C15
; Compiled code polls this after calls without a GC transition (SuppressGCTransition) and calls
; RhpGcPoll when it is set. There is no collector to wait for: it stays 0.
RhpTrapThreads:    dd 0
exo_object_busy:   dd 0
align 8
exo_object_area:   dq 0

section .bss
alignb 16
exo_dispatch_cache: resq DISPATCH_CACHE_ENTRIES * 3
