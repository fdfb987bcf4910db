; Entry and exit paths between user mode, interrupts and the C# kernel.
; - isr_N (IDT vectors 0-47, installed by X64/Idt.cs via the isr_table): push a TrapFrame
;   (X64/TrapFrame.cs), save the extended state (x87/SSE/AVX: SAVE_XSTATE) just below it, call ExoSharpTrap(TrapFrame*)
;   (C#: Core/Traps.cs, System V, interrupts off), restore, iretq.
; - Upcall fast path (isr_common's head): a CPU exception from user mode in the environment
;   whose handler and exception stack Core/UpcallCache.cs has validated (exo_upcall_cache) is
;   written straight onto that stack as an ExceptionFrame and sent to the handler with
;   iretq, without the TrapFrame, fxsave or C#. Only rax and rbx are used as scratch, and
;   both get the user's values back (rdi = rsp = the frame, as the slow path leaves them).
; - syscall_entry (MSR LSTAR, X64/Msr.cs): a call from foreign code (return address at or
;   below exo_foreign_limit, the running environment's EnvFast.ForeignLimit) skips every fast
;   path of ours and becomes an upcall: written straight onto the exception stack when the
;   upcall cache allows (foreign_fast, as the exception fast path), else built in C#
;   (Core/ForeignSyscall.cs);
;   EnvId is answered at once from exo_current_id;
;   a light call (entry_table: one that never switches environments, blocks or ends the
;   caller, and reads only its arguments) goes to the same ExoSharpSyscall with only the
;   registers it reads and the caller's rip, rflags and rsp kept on the trap stack: no XSAVE,
;   no copy into the UserContext. The general registers come back as the general path gives
;   them; xmm0-15 come back zeroed (xorps, which the ABI allows for every call), so no kernel
;   value leaves in them; the compiled kernel has no VEX code (build/Native.props, checked by
;   tests/Unit/UserRuntimeTests), so the ymm upper halves, x87 and MXCSR are the caller's.
;   Switching environments from a light call would resume a stale context: exo_resume_user
;   and exo_idle stop the kernel (ud2) if one ever tried;
;   every other call builds the same TrapFrame (vector 256) and extended state in place in the
;   running environment's UserContext (exo_current_context_end, kept by Core/Scheduler.cs,
;   so saving the caller is no copy), then calls on the trap stack
;   ExoSharpSyscall(TrapFrame*) (C#: Core/Syscalls.cs), which leaves its result in the
;   frame's rax; returns with sysretq to the frame's rip. Every register but rax, rcx, r11
;   comes back as it was (but a message delivered in registers: rdi, rsi, rdx, r10, r8, r9);
;   the extended state is saved and restored. No kernel value is left in any register.
; - PageMapOne fast path (before anything is saved, like EnvId's): a new protection for a
;   page of the caller's own space that already maps the same frame, with a valid frame
;   capability, is installed here exactly as Core/Mappings.MapOne would (the entry, the
;   upcall cache's watched pages, invlpg; the reverse map does not change when the frame
;   stays); any failed check, an empty page or another frame goes the general way to C#.
; - Directed Yield fast path (after the general save, like IPC's): to an environment that can
;   run at once (EnvFast.Hold 0, not in IPC), the switch is done here as ipc_switch does it.
; - fastpath=off (exo_kernel_stats' first word) sends every fast path the general way;
;   each counts in exo_kernel_stats when taken, and every kernel entry and exit times the
;   stretch with interrupts off (IRQOFF_START/IRQOFF_END; Core/KernelStats.cs).
; - IPC fast paths (after the general path has saved the caller in place, before C#):
;   IpcCallRegisters through an endpoint capability to an environment waiting in registers,
;   and IpcReplyRegisters with wait through the reply capability to a caller that wants its
;   reply in registers, are done here: the capabilities are checked as Core/Ipc.cs checks
;   them (the table's chunk directory, type, rights, generation), the message goes into the
;   other environment's saved registers, the IPC state (exo_env_fast rows, Core/EnvFast.cs)
;   and the published records (Core/EnvTable.cs) change as Core/Ipc.cs would change them,
;   and the other environment resumes through exo_resume_user. Any other case, or a failed
;   check, goes on to C# with the frame already built.
; - exo_resume_user(UserContext*) (C#: X64/UserMode.cs): the extended state and TrapFrame as
;   a trap leaves them on the stack (XSTATE_AREA + 176 bytes), loaded into the CPU; iretq. The
;   kernel switches environments by saving the current frame and resuming another's context,
;   so no register (ymm upper halves included) passes from one environment to another.
; The layout extended state at rsp (64-byte aligned), TrapFrame at rsp + XSTATE_AREA is shared
; by all these paths. The state is XSAVE's for the features in XCR0 (exo_xsave_mask, set by
; Boot/boot.asm from CPUID), or FXSAVE's when the CPU has no XSAVE; XRSTOR only ever loads
; areas the kernel's own XSAVE wrote (or UserContext.Allocate's initial one).

bits 64
default rel

extern ExoSharpTrap, ExoSharpSyscall, ExoSharpForeignSyscall, exo_xsave_mask, exo_fsgsbase
global isr_table, syscall_entry, exo_light_init, exo_resume_user, exo_idle, exo_trap_stack, exo_trap_stack_top, exo_current_id, exo_foreign_limit, exo_fs_owner
global exo_upcall_cache, exo_current_context_end, exo_current_index, exo_env_fast, exo_env_records
global exo_asm_contract, exo_kernel_stats

USER_CS equ 0x2B
USER_DS equ 0x23
SYSCALL_VECTOR equ 256          ; TrapFrame.Vector of a system call
SYS_ENVID      equ 3            ; ExoSharp.Abi.Syscall.EnvId: answered without entering C#

; exo_upcall_cache (Core/UpcallCache.cs writes it, field for field): the environment whose
; upcall is known deliverable (~0: none), its handler, where the frame goes when the fault
; is not on the exception stack, and the exception stack's range (top - 64 KiB + 1).
UC_ENV   equ 0
UC_ENTRY equ 8
UC_FRAME equ 16
UC_LOW   equ 24
UC_PAGE_ENTRY equ 32            ; the watched pages: the handler's, the frame's first and last
UC_PAGE_LO    equ 40
UC_PAGE_HI    equ 48
UC_NONE       equ -1
EXCEPTION_STACK_SPAN equ 65536
; ExceptionFrame (Abi/ExceptionFrame.cs): vector, error code, fault address, then Registers
; r15 r14 r13 r12 r11 r10 r9 r8 rbp rdi rsi rdx rcx rbx rax rip rflags rsp.
%define XREG(n) (24 + (n) * 8)

; The general registers into the upcall frame at rax (rax itself from upcall_scratch), as the
; exception upcall and the foreign-syscall upcall fast paths both store them; rbx ends as the
; interrupted rax.
%macro UPCALL_SAVE_GPRS 0
    mov [rax + XREG(0)], r15
    mov [rax + XREG(1)], r14
    mov [rax + XREG(2)], r13
    mov [rax + XREG(3)], r12
    mov [rax + XREG(4)], r11
    mov [rax + XREG(5)], r10
    mov [rax + XREG(6)], r9
    mov [rax + XREG(7)], r8
    mov [rax + XREG(8)], rbp
    mov [rax + XREG(9)], rdi
    mov [rax + XREG(10)], rsi
    mov [rax + XREG(11)], rdx
    mov [rax + XREG(12)], rcx
    mov [rax + XREG(13)], rbx
    mov rbx, [upcall_scratch]
    mov [rax + XREG(14)], rbx
%endmacro
; TrapFrame.Vector and what the CPU pushed, as isr_N leaves the stack.
TF_VECTOR equ 0
TF_ERROR  equ 8
TF_RIP    equ 16
TF_CS     equ 24
TF_RFLAGS equ 32
TF_RSP    equ 40
PAGE_FAULT equ 14
; TrapFrame (X64/TrapFrame.cs) offsets the IPC fast paths use, and its size.
TF_R10 equ 40
TF_R9  equ 48
TF_R8  equ 56
TF_RDI equ 72
TF_RSI equ 80
TF_RDX equ 88
TF_RAX equ 112
TF_R11 equ 32
TF_RCX equ 96
LIGHT_FRAME equ 128             ; the registers part (120 bytes), the stack kept 16-aligned
TRAP_FRAME_SIZE equ 176
XSTATE_AREA     equ 1040                    ; X64/UserContext.XStateArea: 16 mod 64
CONTEXT_SIZE    equ XSTATE_AREA + TRAP_FRAME_SIZE   ; X64/UserContext.Size
; exo_env_fast rows (Core/EnvFast.cs), EnvRecord rows (Abi/EnvRecord.cs), IPC constants.
EF_SHIFT   equ 7                ; 128-byte rows
EF_ID      equ 0
EF_CTX_END equ 8
EF_ROOT    equ 16
EF_WAIT    equ 24
EF_CALLEE  equ 32
EF_REPLY   equ 40
EF_SLOTS   equ 48
EF_PML4    equ 56
EF_CAPACITY equ 64
EF_FOREIGN  equ 72               ; EnvFast.ForeignLimit
EF_FS       equ 80               ; EnvFast.FsBase, then GsBase
EF_HOLD     equ 96               ; EnvFast.Hold: why a directed Yield to it needs C# (0: nothing)
EF_EPILOGUE equ 104              ; EnvFast.InEpilogue
; CapabilitySlot (Core/CapabilitySlot.cs, explicit layout) and the PageMapOne constants:
; Abi.PageFlags, Abi.UserLayout, Abi.Capability (handle layout), Core/AddressSpace, Core/Memory.
SLOT_SHIFT     equ 6
SLOT_TYPE      equ 0
SLOT_WRITABLE  equ 1
SLOT_RIGHTS    equ 2
SLOT_GEN       equ 16
SLOT_MAPCOUNT  equ 4
SLOT_OBJECT    equ 8
SLOT_BADGE     equ 24
CAP_NONE       equ 0            ; CapabilityType.None
CAP_FRAME      equ 1            ; CapabilityType.Frame
CAP_ENV        equ 2            ; CapabilityType.Environment
CAP_REPLY      equ 4            ; CapabilityType.Reply
RIGHT_CALL     equ 2            ; Abi.CapabilityRights.Call
RIGHT_YIELD    equ 4            ; Abi.CapabilityRights.Yield
REPLY_SLOT     equ 1            ; Abi.Capability.ReplySlot (in the first chunk)
REPLY_OFFSET   equ REPLY_SLOT << SLOT_SHIFT
MAX_GENERATION equ (1 << 43) - 1 ; Abi.Capability.MaxGeneration
HANDLE_INDEX_BITS equ 20        ; Abi.Capability.HandleIndexBits
CHUNK_SHIFT    equ 6            ; Abi.Capability.TableChunk slots per directory entry
PF_WRITABLE    equ 1 << 1
PF_EXECUTABLE  equ 1 << 3
PF_AVAILABLE   equ 7 << 9
PF_ALLOWED     equ PF_WRITABLE | PF_EXECUTABLE | PF_AVAILABLE
UL_BASE          equ 0x10000
UL_END           equ 0x00007FFFFFFFF000
UL_WINDOWS_START equ 0x00007E0000000000
UL_WINDOWS_END   equ 0x00007F8000000000
PTE_PRESENT    equ 1
PTE_USER       equ 4
PTE_NX_BIT     equ 63
PTE_ADDRESS    equ 0x000FFFFFFFFFF000
DIRECT_MAP     equ 0xFFFF800000000000
SYS_PAGE_MAP_ONE equ 29         ; ExoSharp.Abi.Syscall.PageMapOne
MAX_ENVS   equ 1024             ; Abi.Capability.MaxEnvironments
ENV_INDEX_MASK equ 0xFFF        ; id = (generation << Abi.Capability.EnvIndexBits) | index
REC_SIZE   equ 40
REC_STATUS equ 16
REC_CALLEE equ 24
REC_WAITING equ 4               ; EnvRecord.Waiting
REC_CALLING equ 8               ; EnvRecord.Calling
IPC_IN_REGISTERS equ 1          ; Core/Ipc.cs InRegisters
SYS_IPC_CALL_REGISTERS  equ 30  ; ExoSharp.Abi.Syscall.IpcCallRegisters
SYS_IPC_REPLY_REGISTERS equ 31  ; ExoSharp.Abi.Syscall.IpcReplyRegisters
SYS_YIELD  equ 4                ; ExoSharp.Abi.Syscall.Yield
FAST_CALLS equ 32               ; fast_table's length: calls below it may have a fast path
ENTRY_CALLS equ 64              ; entry_table's length
; The light calls (ExoSharp.Abi.Syscall numbers), checked against C# by the contract below.
SYS_CONSOLE_WRITE equ 0
SYS_ENV_ID_OF     equ 6
SYS_FRAME_ALLOC   equ 10
SYS_FRAME_FREE    equ 11
SYS_PAGE_UNMAP    equ 13
SYS_PAGE_QUERY    equ 14
SYS_FILTER_CLASSIFY equ 25
SYS_NET_TRANSMIT  equ 34
SYS_NET_INFO      equ 35
SYS_CAP_MINT      equ 51
SYS_PAGE_MAP_RANGE equ 53
SYS_ACCOUNT_INFO  equ 58
SYS_PAGE_SHARE    equ 59
SYS_XN_READ       equ 42
SYS_XN_INFO       equ 45
%define IS_LIGHT(n) (n == SYS_CONSOLE_WRITE || n == SYS_ENV_ID_OF || n == SYS_FRAME_ALLOC || n == SYS_FRAME_FREE || \
    n == SYS_PAGE_UNMAP || n == SYS_PAGE_QUERY || n == SYS_FILTER_CLASSIFY || \
    n == SYS_NET_TRANSMIT || n == SYS_NET_INFO || n == SYS_CAP_MINT || n == SYS_PAGE_MAP_RANGE || n == SYS_ACCOUNT_INFO || \
    n == SYS_PAGE_SHARE || n == SYS_XN_READ || n == SYS_XN_INFO)
; UserContext.SanitizeFlags without DF (the ABI's handler entry state).
UPCALL_FOREIGN_SYSCALL equ 0x103  ; ExoSharp.Abi.UpcallVector.ForeignSyscall
UPCALL_FLAGS_KEEP equ 0x408D5   ; and TF clear: the handler is not single-stepped
UPCALL_FLAGS_SET  equ 0x202
; UserContext.SanitizeFlags: every return to ring 3 (sysret and iretq) rebuilds RFLAGS from
; these, so no flag a program may not set (NT, IOPL, VM, RF...) ever reaches ring 3 or ring 0.
USER_FLAGS_KEEP equ 0x40DD5
USER_FLAGS_SET  equ 0x202
%macro USER_FLAGS_R11 0
    and r11, USER_FLAGS_KEEP
    or r11, USER_FLAGS_SET
%endmacro
; exo_kernel_stats (Core/KernelStats.cs reads and writes it, field for field): fastpath=off,
; how often each fast path was taken, and the interrupts-off stretch being timed (guest TSC
; at its start, what started it) and the longest one so far (its length and cause).
KS_FAST_OFF    equ 0
KS_UPCALL      equ 8
KS_PAGE_MAP    equ 16
KS_IPC         equ 24
KS_SINCE       equ 32
KS_MAX         equ 40
KS_MAX_CAUSE   equ 48
KS_CAUSE       equ 56
KS_YIELD       equ 64
KS_LIGHT       equ 72
CAUSE_SYSCALL  equ 0x1000       ; + the call number; a vector (0-47) alone for traps
CAUSE_IDLE     equ 0x3000       ; the scheduler after an idle halt
; The start of a stretch with interrupts off (a kernel entry): clobbers rax and rdx.
%macro IRQOFF_START 0
    rdtsc
    mov [exo_kernel_stats + KS_SINCE], eax      ; the 64-bit count, in its two halves
    mov [exo_kernel_stats + KS_SINCE + 4], edx
%endmacro
; Its end (back to ring 3, or halting with interrupts on): clobbers rax and rdx.
%macro IRQOFF_END 0
    rdtsc
    shl rdx, 32
    or rax, rdx
    sub rax, [exo_kernel_stats + KS_SINCE]
    cmp rax, [exo_kernel_stats + KS_MAX]
    jbe %%shorter
    mov [exo_kernel_stats + KS_MAX], rax
    mov rax, [exo_kernel_stats + KS_CAUSE]
    mov [exo_kernel_stats + KS_MAX_CAUSE], rax
%%shorter:
%endmacro

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

; The extended state (x87/SSE/AVX) into [rsp] (64-byte aligned) and back: XSAVE/XRSTOR
; with the XCR0 mask, or FXSAVE/FXRSTOR when the mask is 0. Clobber rax and rdx. XSAVE
; writes only XSTATE_BV's bits for XCR0's features and no other byte of the header, and
; XRSTOR refuses any other bit there or anything in the next 16 bytes: the stack below a trap
; frame holds anything, so the three words are cleared first.
%macro SAVE_XSTATE 0
    mov eax, [exo_xsave_mask]
    test eax, eax
    jnz %%xsave
    fxsave64 [rsp]
    jmp %%done
%%xsave:
    xor edx, edx
    mov [rsp + 512], rdx
    mov [rsp + 520], rdx
    mov [rsp + 528], rdx
    xsave64 [rsp]
%%done:
%endmacro
; SAVE_XSTATE into an environment's UserContext, whose header is always clean: it starts
; zeroed (UserContext.Allocate), XSAVE writes only XSTATE_BV's bits, and the other writers
; copy clean areas in (UserContext.Save from a SAVE_XSTATE area, EnvSetExtendedState after
; ExtendedState.IsValid), so there is nothing to clear.
%macro SAVE_XSTATE_IN_CONTEXT 0
    mov eax, [exo_xsave_mask]
    test eax, eax
    jnz %%xsave
    fxsave64 [rsp]
    jmp %%done
%%xsave:
    xor edx, edx
    xsave64 [rsp]
%%done:
%endmacro
%macro RESTORE_XSTATE 0
    mov eax, [exo_xsave_mask]
    test eax, eax
    jnz %%xrstor
    fxrstor64 [rsp]
    jmp %%done
%%xrstor:
    xor edx, edx
    xrstor64 [rsp]
%%done:
%endmacro

section .text

; isr_N: vector N's TrapFrame head. CPU exceptions go to isr_common, which may take the
; upcall fast path; NMI (2), double fault (8), machine check (18) and the interrupts (32 and
; up) go straight to isr_general.
%macro ISR_NOERR 2
isr_%1:
    push 0
    push %1
    jmp %2
%endmacro
%macro ISR_ERR 2
isr_%1:
    push %1
    jmp %2
%endmacro

%assign i 0
%rep 48
%if i == 2 || i == 18 || i >= 32
    ISR_NOERR i, isr_general
%elif i == 8
    ISR_ERR i, isr_general
%elif i == 14
    ISR_ERR i, isr_page_fault
%elif (i >= 10 && i <= 13) || i == 17 || i == 21 || i == 29 || i == 30
    ISR_ERR i, isr_common
%else
    ISR_NOERR i, isr_common
%endif
%assign i i+1
%endrep

; Interrupts off (interrupt gates). The fast path below needs: a CPU exception from ring 3,
; the running environment the cached one, and the faulting rsp off its exception stack (a
; nested fault goes the general way, which keeps the red zone). UPCALL_FAST 1 is the page
; fault's copy (the fault address from cr2), UPCALL_FAST 0 every other exception's (0).
%macro UPCALL_FAST 1
    test byte [rsp + TF_CS], 3
    jz isr_general
    cmp byte [exo_kernel_stats + KS_FAST_OFF], 0
    jne isr_general
    mov [upcall_scratch], rax
    mov rax, [exo_current_id]
    cmp rax, [exo_upcall_cache + UC_ENV]
    jne isr_general_rax
    mov rax, [rsp + TF_RSP]
    sub rax, [exo_upcall_cache + UC_LOW]
    cmp rax, EXCEPTION_STACK_SPAN
    jb isr_general_rax             ; on the exception stack already: nested
    mov rax, [exo_upcall_cache + UC_FRAME]
    UPCALL_SAVE_GPRS
    mov rbx, [rsp + TF_RIP]
    mov [rax + XREG(15)], rbx
    mov rbx, [rsp + TF_RFLAGS]
    mov [rax + XREG(16)], rbx
    and rbx, UPCALL_FLAGS_KEEP
    or rbx, UPCALL_FLAGS_SET
    mov [rsp + TF_RFLAGS], rbx
    mov rbx, [rsp + TF_RSP]
    mov [rax + XREG(17)], rbx
    mov [rsp + TF_RSP], rax
    mov rbx, [rsp + TF_VECTOR]
    mov [rax], rbx
    mov rbx, [rsp + TF_ERROR]
    mov [rax + 8], rbx
%if %1
    mov rbx, cr2
    mov [rax + 16], rbx
%else
    mov qword [rax + 16], 0
%endif
    mov rbx, [exo_upcall_cache + UC_ENTRY]
    mov [rsp + TF_RIP], rbx
    mov rdi, rax
    mov rbx, [rax + XREG(13)]   ; the user's rbx and rax back: no kernel value leaves
    mov rax, [upcall_scratch]
    inc qword [exo_kernel_stats + KS_UPCALL]
    add rsp, 16                 ; vector, error code
    iretq
%endmacro

isr_common:
    UPCALL_FAST 0
isr_page_fault:
    UPCALL_FAST 1
isr_general_rax:
    mov rax, [upcall_scratch]
isr_general:
    cld
    PUSH_GPRS
    mov rbx, rsp                ; TrapFrame*
    sub rsp, XSTATE_AREA
    and rsp, -64                ; a no-op for traps from user mode (frame at the stack's top)
    SAVE_XSTATE
    IRQOFF_START
    mov rax, [rbx + 15 * 8]     ; the vector (the TrapFrame's, above the registers)
    mov [exo_kernel_stats + KS_CAUSE], rax
    mov rdi, rbx
    call ExoSharpTrap
    IRQOFF_END
    RESTORE_XSTATE
    mov rsp, rbx
    POP_GPRS
    add rsp, 16                 ; vector, error code
    test byte [rsp + 8], 3      ; back to ring 3: only the flags a program may hold
    jz .kernel
    and qword [rsp + 16], USER_FLAGS_KEEP
    or qword [rsp + 16], USER_FLAGS_SET
.kernel:
    iretq

; The whole of the caller into a TrapFrame on its context (rdi = the frame, r12 = the call
; number) and the start of the stretch with interrupts off: syscall_entry's general path and
; the foreign upcall's refusals share it.
%macro SYSCALL_SAVE 0
    mov [saved_user_rsp], rsp
    mov rsp, [exo_current_context_end]
    push USER_DS                ; the same TrapFrame as isr_common builds
    push qword [saved_user_rsp]
    push r11                    ; user rflags
    push USER_CS
    push rcx                    ; user rip
    push 0                      ; error code
    push SYSCALL_VECTOR
    PUSH_GPRS
    mov rdi, rsp                ; TrapFrame*
    sub rsp, XSTATE_AREA        ; the context's start: 64-byte aligned
    lea rdx, [rax + CAUSE_SYSCALL]  ; rax is still the call number (every register is saved now)
    mov [exo_kernel_stats + KS_CAUSE], rdx
    mov r12, rax                ; the call number, for fast_table
    SAVE_XSTATE_IN_CONTEXT
    IRQOFF_START
%endmacro

syscall_entry:
    cmp rax, ENTRY_CALLS
    jae .general
    jmp [entry_table + rax * 8] ; .env_id, .page_map_one, .light or .general
.general:
    cmp rcx, [exo_foreign_limit] ; from foreign code: the upcall fast path when it may
    jbe ..@foreign_fast
    SYSCALL_SAVE                ; not foreign: no fast path of a foreign call is looked for
    cmp r12, FAST_CALLS
    jae .csharp
    jmp [fast_table + r12 * 8]  ; .csharp, or a call's fast path (which checks fastpath=off)
.csharp:                        ; rdi = the frame (kept by the fast paths)
    lea rbx, [rdi - XSTATE_AREA] ; the context (callee-saved; the user's rbx is in the frame)
    lea rsp, [exo_trap_stack_top]
    call ExoSharpSyscall        ; the result is in the frame's rax
.back:
    mov rsp, rbx
    IRQOFF_END
    RESTORE_XSTATE
    add rsp, XSTATE_AREA
    POP_GPRS
    mov rcx, [rsp + 16]         ; rip (the kernel may have changed it: always a user address)
    mov r11, [rsp + 32]         ; rflags
    USER_FLAGS_R11
    mov rsp, [rsp + 40]         ; user rsp
    o64 sysret

; A light call (from entry_table or PageMapOne's fast path; nothing saved yet): the TrapFrame's registers part on the
; trap stack, holding what C# reads (rax, rdi, rsi, rdx, r10, r8) and what sysret needs back
; (rcx, r11; the user's rsp in saved_user_rsp), r9 as C# may clobber it; ExoSharpSyscall
; leaves the result in its rax. Not taken from foreign code (an upcall), nor with fastpath=off
; (exo_light_init sends entry_table's light rows the general way).
.light:
    cmp rcx, [exo_foreign_limit]
    jbe .general
    mov [saved_user_rsp], rsp
    lea rsp, [exo_trap_stack_top - LIGHT_FRAME]
    mov [rsp + TF_RAX], rax
    mov [rsp + TF_RDI], rdi
    mov [rsp + TF_RSI], rsi
    mov [rsp + TF_RDX], rdx
    mov [rsp + TF_RCX], rcx
    mov [rsp + TF_R11], r11
    mov [rsp + TF_R10], r10
    mov [rsp + TF_R9], r9
    mov [rsp + TF_R8], r8
    lea rdx, [rax + CAUSE_SYSCALL]
    mov [exo_kernel_stats + KS_CAUSE], rdx
    IRQOFF_START
    inc qword [exo_kernel_stats + KS_LIGHT]
    mov byte [light_busy], 1
    mov rdi, rsp                ; TrapFrame* (its registers only)
    call ExoSharpSyscall
    mov byte [light_busy], 0
    IRQOFF_END
    mov rax, [rsp + TF_RAX]
    mov rdi, [rsp + TF_RDI]
    mov rsi, [rsp + TF_RSI]
    mov rdx, [rsp + TF_RDX]
    mov rcx, [rsp + TF_RCX]
    mov r11, [rsp + TF_R11]
    mov r10, [rsp + TF_R10]
    mov r9, [rsp + TF_R9]
    mov r8, [rsp + TF_R8]
    USER_FLAGS_R11
    mov rsp, [saved_user_rsp]
%assign i 0
%rep 16
    xorps xmm %+ i, xmm %+ i
%assign i i + 1
%endrep
    o64 sysret

..@syscall_foreign_save:        ; from ..@foreign_fast when it cannot deliver the upcall itself
    SYSCALL_SAVE
.foreign:                       ; an upcall to the environment's handler (Core/ForeignSyscall.cs)
    lea rbx, [rdi - XSTATE_AREA]
    lea rsp, [exo_trap_stack_top]
    call ExoSharpForeignSyscall
    jmp .back

; The foreign-call upcall fast path (from .general, interrupts off, nothing saved yet; rax = the
; call number, rcx = the user's rip, r11 its rflags, rsp its rsp): for the environment whose
; handler and exception stack the upcall cache (Core/UpcallCache.cs) has validated, off its
; exception stack, the ExceptionFrame Core/ForeignSyscall.cs would build (vector ForeignSyscall,
; error code the number, every register) is written straight onto that stack and the handler
; entered with sysret (rdi = rsp = the frame, rcx and r11 as sysret leaves them), without the
; TrapFrame, XSAVE or C#. Any failed check: the general path, which delivers it in C#.
..@foreign_fast:
    cmp byte [exo_kernel_stats + KS_FAST_OFF], 0
    jne ..@syscall_foreign_save
    mov [upcall_scratch], rax
    mov rax, [exo_current_id]
    cmp rax, [exo_upcall_cache + UC_ENV]
    jne .foreign_refused
    mov rax, rsp
    sub rax, [exo_upcall_cache + UC_LOW]
    cmp rax, EXCEPTION_STACK_SPAN
    jb .foreign_refused                 ; on the exception stack already: nested
    mov rax, [exo_upcall_cache + UC_FRAME]
    UPCALL_SAVE_GPRS
    mov [rax + XREG(15)], rcx   ; rip: the return address
    mov [rax + XREG(16)], r11   ; rflags
    mov [rax + XREG(17)], rsp
    mov qword [rax], UPCALL_FOREIGN_SYSCALL
    mov [rax + 8], rbx          ; the error code: the number
    mov qword [rax + 16], 0
    mov rdi, rax
    mov rcx, [exo_upcall_cache + UC_ENTRY]
    and r11, UPCALL_FLAGS_KEEP
    or r11, UPCALL_FLAGS_SET
    mov rbx, [rax + XREG(13)]   ; the user's rbx and rax back: no kernel value leaves
    mov rax, [upcall_scratch]
    inc qword [exo_kernel_stats + KS_UPCALL]
    mov rsp, rdi
    o64 sysret
.foreign_refused:
    mov rax, [upcall_scratch]
    jmp ..@syscall_foreign_save


.env_id:                        ; fast path: only rax changes, nothing else is touched
    cmp rcx, [exo_foreign_limit] ; from foreign code: an upcall, built in C# (Core/ForeignSyscall.cs)
    jbe .general
    mov rax, [exo_current_id]
    USER_FLAGS_R11
    o64 sysret

.page_map_one:
    cmp rcx, [exo_foreign_limit]
    jbe .general
    cmp byte [exo_kernel_stats + KS_FAST_OFF], 0
    je page_map_one_fast
    jmp .general

; PageMapOne(envHandle = rdi, address = rsi, frameHandle = rdx, flags = r10) into the
; caller's own space (envHandle 0), as Mappings.MapOne: the same checks (any failure: the
; general path and C#, which gives the error), and the page must already map the frame
; (else C#, which may allocate tables and keeps the reverse map). Returns 1 with sysret. Entered from syscall_entry with the
; user's registers (rcx = rip, r11 = rflags) before anything is saved: it works on the trap
; stack and gives back every register it uses, so only rax changes. Interrupts off.
page_map_one_fast:
    mov [saved_user_rsp], rsp
    lea rsp, [exo_trap_stack_top]
    push rcx
    push r11
    push rdx
    push r8
    push r9
    test rdi, rdi
    jnz .general
    test esi, 0xFFF
    jnz .general
    test r10, ~PF_ALLOWED
    jnz .general
    cmp rsi, UL_BASE            ; AddressSpace.IsUserPage
    jb .general
    mov rax, UL_END
    cmp rsi, rax
    jae .general
    lea rax, [rsi + 4096]       ; no wrap: rsi < UL_END
    mov rcx, UL_WINDOWS_START
    cmp rax, rcx
    jbe .in_range
    mov rcx, UL_WINDOWS_END
    cmp rsi, rcx
    jb .general
.in_range:
    mov eax, edx                ; the frame handle: (generation << 20) | slot
    and eax, (1 << HANDLE_INDEX_BITS) - 1
    mov rcx, [exo_current_index]
    shl rcx, EF_SHIFT
    lea r8, [exo_env_fast]
    add r8, rcx                 ; the caller's row
    cmp rax, [r8 + EF_CAPACITY]
    jae .general
    mov rcx, rax
    shr rcx, CHUNK_SHIFT
    mov r9, [r8 + EF_SLOTS]
    mov r9, [r9 + rcx * 8]      ; the slot's chunk
    and eax, (1 << CHUNK_SHIFT) - 1
    shl rax, SLOT_SHIFT
    add r9, rax                 ; the slot
    cmp byte [r9 + SLOT_TYPE], CAP_FRAME
    jne .general
    shr rdx, HANDLE_INDEX_BITS
    cmp rdx, [r9 + SLOT_GEN]
    jne .general
    test r10, PF_WRITABLE
    jz .rights_ok
    cmp byte [r9 + SLOT_WRITABLE], 0
    je .general
.rights_ok:
    mov r11, PTE_ADDRESS
    mov rdx, DIRECT_MAP
    mov rax, [r8 + EF_PML4]
%assign shift 39
%rep 3
    mov rcx, rsi
    shr rcx, shift
    and ecx, 511
    mov rax, [rax + rcx * 8]
    test al, PTE_PRESENT
    jz .general                 ; a table to allocate: C#
    and rax, r11
    add rax, rdx
%assign shift shift - 9
%endrep
    mov rcx, rsi
    shr rcx, 12
    and ecx, 511
    lea r11, [rax + rcx * 8]    ; the leaf entry
    mov rax, [r11]              ; it must map this frame already (else C#: the reverse map)
    test al, PTE_PRESENT
    jz .general
    mov rcx, PTE_ADDRESS
    and rax, rcx
    shr rax, 12
    cmp rax, [r9 + SLOT_OBJECT]
    jne .general
    mov rax, [r9 + SLOT_OBJECT] ; AddressSpace.Entry(frame, flags)
    shl rax, 12
    or rax, PTE_PRESENT | PTE_USER
    mov rcx, r10
    and rcx, PF_WRITABLE | PF_AVAILABLE
    or rax, rcx
    test r10, PF_EXECUTABLE
    jnz .executable
    bts rax, PTE_NX_BIT
.executable:
    mov rcx, [exo_current_id]   ; UpcallCache.NoteChange: a watched page of the cached space
    cmp rcx, [exo_upcall_cache + UC_ENV]
    jne .set
    cmp rsi, [exo_upcall_cache + UC_PAGE_ENTRY]
    je .forget
    cmp rsi, [exo_upcall_cache + UC_PAGE_LO]
    je .forget
    cmp rsi, [exo_upcall_cache + UC_PAGE_HI]
    jne .set
.forget:
    mov qword [exo_upcall_cache + UC_ENV], UC_NONE
.set:
    mov [r11], rax
    invlpg [rsi]                ; the caller's own space is the active one
    pop r9
    pop r8
    pop rdx
    pop r11
    pop rcx
    mov rsp, [saved_user_rsp]
    mov eax, 1
    inc qword [exo_kernel_stats + KS_PAGE_MAP]
    USER_FLAGS_R11
    o64 sysret
.general:                       ; everything back as it came, then the general path
    pop r9
    pop r8
    pop rdx
    pop r11
    pop rcx
    mov rsp, [saved_user_rsp]
    mov eax, SYS_PAGE_MAP_ONE
    jmp syscall_entry.light

; The words of a register call or reply (frame rdi: rsi, rdx, r10) into the receiver's saved
; frame (r10); its r8, r9 and rax, and the sender's rax, become 0. Leaves rax 0.
%macro DELIVER_WORDS 0
    mov rax, [rdi + TF_RSI]
    mov [r10 + TF_RSI], rax
    mov rax, [rdi + TF_RDX]
    mov [r10 + TF_RDX], rax
    mov rax, [rdi + TF_R10]
    mov [r10 + TF_R10], rax
    xor eax, eax
    mov [r10 + TF_R8], rax
    mov [r10 + TF_R9], rax
    mov [r10 + TF_RAX], rax
    mov [rdi + TF_RAX], rax
%endmacro

; The slot a handle (rcx) names in the table of the row r9, into rsi, or to C# when the slot
; is past the table; rax, rdx are scratch; rcx keeps the handle.
%macro SLOT_OF_HANDLE 0
    mov eax, ecx
    and eax, (1 << HANDLE_INDEX_BITS) - 1
    cmp rax, [r9 + EF_CAPACITY]
    jae syscall_entry.csharp
    mov rdx, rax
    shr rdx, CHUNK_SHIFT
    mov rsi, [r9 + EF_SLOTS]
    mov rsi, [rsi + rdx * 8]    ; the chunk
    and eax, (1 << CHUNK_SHIFT) - 1
    shl eax, SLOT_SHIFT
    add rsi, rax
%endmacro

; The row of the environment whose id is rcx, into r8 and its index into rdx, or to C#
; when no live environment has that id. rcx comes from an environment or reply capability,
; which only the kernel writes: its index is always 1 to MAX_ENVS - 1. rax is scratch.
%macro ROW_OF_ID 0
    mov eax, ecx
    and eax, ENV_INDEX_MASK
    mov rdx, rax
    shl rax, EF_SHIFT
    lea r8, [rax + exo_env_fast] ; (the kernel is linked in the top 2 GiB)
    cmp rcx, [r8 + EF_ID]
    jne syscall_entry.csharp
%endmacro

; The row of the environment an endpoint handle (rcx) names in the table of the row r9, into r8
; (its index into rdx), or to C# unless the handle names a live environment capability of its
; generation with the right %1; rsi = the slot. rax is scratch; rcx ends as the target's id.
%macro ENDPOINT_ROW 1
    SLOT_OF_HANDLE
    cmp byte [rsi + SLOT_TYPE], CAP_ENV
    jne syscall_entry.csharp
    test byte [rsi + SLOT_RIGHTS], %1
    jz syscall_entry.csharp
    shr rcx, HANDLE_INDEX_BITS
    cmp rcx, [rsi + SLOT_GEN]
    jne syscall_entry.csharp
    mov rcx, [rsi + SLOT_OBJECT]    ; T's id
    ROW_OF_ID
%endmacro

; IpcCallRegisters(endpoint = frame rdi, words = frame rsi, rdx, r10) from the running
; environment C to T. Fast when the endpoint is an environment capability of C's with the
; Call right, T exists, is not C, waits in registers and has no unused reply capability;
; otherwise C# (which also gives the errors). Then, as Ipc.CallWith: T gets rax = its new
; reply capability's handle, rdi = the endpoint's badge, rsi, rdx, r10 = the words, r8 = r9
; = 0 (no capability); T stops waiting; C calls T with its reply due in registers; C's
; result is 0 until the reply; T runs on C's slice.
; In: rdi = C's frame; may use every other register (all are saved in
; C's frame and every way out reloads them). Interrupts off.
ipc_call_fast:
    cmp byte [exo_kernel_stats + KS_FAST_OFF], 0
    jne syscall_entry.csharp
    mov r11, [exo_current_index]    ; C's index
    mov r9, r11
    shl r9, EF_SHIFT
    lea r9, [r9 + exo_env_fast] ; C's row
    mov rcx, [rdi + TF_RDI]     ; the endpoint handle
    ENDPOINT_ROW RIGHT_CALL
    cmp qword [r8 + EF_WAIT], IPC_IN_REGISTERS
    jne syscall_entry.csharp
    cmp r8, r9
    je syscall_entry.csharp           ; a call to itself: C# refuses it
    mov rax, [r8 + EF_SLOTS]
    mov rax, [rax]              ; T's first chunk
    cmp byte [rax + REPLY_OFFSET + SLOT_TYPE], CAP_NONE
    jne syscall_entry.csharp          ; an unused reply to drop first: C#
    mov byte [rax + REPLY_OFFSET + SLOT_TYPE], CAP_REPLY    ; CapabilityTable.SetReply
    mov r12, [r9 + EF_ID]
    mov [rax + REPLY_OFFSET + SLOT_OBJECT], r12
    mov r13, [rax + REPLY_OFFSET + SLOT_GEN]
    shl r13, HANDLE_INDEX_BITS
    or r13, REPLY_SLOT          ; the reply capability's handle
    mov r12, [rsi + SLOT_BADGE]
    mov r10, [r8 + EF_CTX_END]
    sub r10, TRAP_FRAME_SIZE    ; T's saved frame
    mov [r10 + TF_RDI], r12
    DELIVER_WORDS
    mov [r10 + TF_RAX], r13
    mov [r8 + EF_WAIT], rax
    mov [r9 + EF_CALLEE], rcx
    mov qword [r9 + EF_REPLY], IPC_IN_REGISTERS
    mov rsi, [exo_env_records]
    imul rax, rdx, REC_SIZE
    and qword [rsi + rax + REC_STATUS], ~REC_WAITING
    imul rax, r11, REC_SIZE
    or qword [rsi + rax + REC_STATUS], REC_CALLING
    mov [rsi + rax + REC_CALLEE], rcx
    inc qword [exo_kernel_stats + KS_IPC]
    jmp ipc_switch

; IpcReplyRegisters(reply = frame rdi, words = frame rsi, rdx, r10, wait = frame r8) from
; the running environment S to its caller C. Fast when wait is 1, the handle is S's reply
; capability, C exists, is calling S and wants its reply in registers; otherwise C#. Then,
; as Ipc.ReplyWith: the reply capability is used up (its slot empty, its generation on);
; C gets rax 0, rdi = 0, rsi, rdx, r10 = the words, r8 = r9 = 0; C no longer calls; S waits
; in registers; C runs on S's slice. In: as ipc_call_fast.
ipc_reply_fast:
    cmp byte [exo_kernel_stats + KS_FAST_OFF], 0
    jne syscall_entry.csharp
    cmp qword [rdi + TF_R8], 1
    jne syscall_entry.csharp
    mov rcx, [rdi + TF_RDI]     ; the reply handle
    mov eax, ecx
    and eax, (1 << HANDLE_INDEX_BITS) - 1
    cmp eax, REPLY_SLOT
    jne syscall_entry.csharp
    mov r11, [exo_current_index]    ; S's index
    mov r9, r11
    shl r9, EF_SHIFT
    lea r9, [r9 + exo_env_fast] ; S's row
    mov rsi, [r9 + EF_SLOTS]
    mov rsi, [rsi]
    add rsi, REPLY_OFFSET       ; S's reply slot
    cmp byte [rsi + SLOT_TYPE], CAP_REPLY
    jne syscall_entry.csharp
    shr rcx, HANDLE_INDEX_BITS
    cmp rcx, [rsi + SLOT_GEN]
    jne syscall_entry.csharp
    mov rcx, [rsi + SLOT_OBJECT]    ; C's id
    ROW_OF_ID
    mov rax, [r9 + EF_ID]
    cmp [r8 + EF_CALLEE], rax
    jne syscall_entry.csharp          ; not calling S: C# says NotCalling
    cmp qword [r8 + EF_REPLY], IPC_IN_REGISTERS
    jne syscall_entry.csharp
    mov byte [rsi + SLOT_TYPE], CAP_NONE    ; CapabilityTable.ConsumeReply
    xor eax, eax
    mov [rsi + SLOT_OBJECT], rax
    mov rax, [rsi + SLOT_GEN]
    inc rax
    mov r12, MAX_GENERATION
    and rax, r12
    mov [rsi + SLOT_GEN], rax
    mov r10, [r8 + EF_CTX_END]
    sub r10, TRAP_FRAME_SIZE    ; C's saved frame
    mov qword [r10 + TF_RDI], 0 ; a reply's From
    DELIVER_WORDS
    mov [r8 + EF_CALLEE], rax
    mov [r8 + EF_REPLY], rax
    mov qword [r9 + EF_WAIT], IPC_IN_REGISTERS
    mov rsi, [exo_env_records]
    imul rax, rdx, REC_SIZE
    and qword [rsi + rax + REC_STATUS], ~REC_CALLING
    mov qword [rsi + rax + REC_CALLEE], 0
    imul rax, r11, REC_SIZE
    or qword [rsi + rax + REC_STATUS], REC_WAITING
    inc qword [exo_kernel_stats + KS_IPC]
    jmp ipc_switch

; Yield(handle = frame rdi) from the running environment C to T, as Syscalls.Yield and
; Scheduler.YieldTo do it when they go straight to Resume: the handle an environment
; capability of C's with the Yield right, T alive with nothing holding it (EnvFast.Hold 0:
; runnable, not blocked, no prologue, nothing to repossess or revoke) and not in IPC;
; otherwise C# (which also gives the errors, and yields plainly for 0 or an ended T). Then
; C is out of its epilogue, its result is 0, and T runs on the rest of C's slice.
; In: as ipc_call_fast.
yield_fast:
    cmp byte [exo_kernel_stats + KS_FAST_OFF], 0
    jne syscall_entry.csharp
    mov rcx, [rdi + TF_RDI]     ; the handle (0: a plain yield)
    test rcx, rcx
    jz syscall_entry.csharp
    mov r9, [exo_current_index]
    shl r9, EF_SHIFT
    lea r9, [r9 + exo_env_fast] ; C's row (the kernel is linked in the top 2 GiB)
    ENDPOINT_ROW RIGHT_YIELD
    mov rax, [r8 + EF_HOLD]
    or rax, [r8 + EF_WAIT]
    or rax, [r8 + EF_CALLEE]
    jnz syscall_entry.csharp    ; held, or in IPC
    mov [r9 + EF_EPILOGUE], rax
    mov [rdi + TF_RAX], rax
    inc qword [exo_kernel_stats + KS_YIELD]
    ; fall through

; Runs the environment whose row is r8, id rcx, index rdx (as Scheduler.Resume does); r9 is
; the running environment's row.
ipc_switch:
    mov rax, [r8 + EF_FOREIGN]
    mov [exo_foreign_limit], rax
    cmp qword [exo_fsgsbase], 0 ; the caller owns the CPU's FS and GS bases: keep them in its
    je .bases_done              ; row and give the CPU the target's (Scheduler.Resume's rule)
    rdfsbase rax
    mov [r9 + EF_FS], rax
    rdgsbase rax
    mov [r9 + EF_FS + 8], rax
    mov rax, [r8 + EF_FS]
    wrfsbase rax
    mov rax, [r8 + EF_FS + 8]
    wrgsbase rax
    mov [exo_fs_owner], rdx
.bases_done:
    mov [exo_current_id], rcx
    mov [exo_current_index], rdx
    mov rdi, [r8 + EF_CTX_END]
    mov [exo_current_context_end], rdi
    sub rdi, CONTEXT_SIZE
    mov rax, [r8 + EF_ROOT]
    mov rdx, cr3
    cmp rax, rdx
    je ..@resume_checked        ; the fast paths never run inside a light call
    mov cr3, rax
    jmp ..@resume_checked

; exo_resume_user(rdi = UserContext*: the extended state, then a TrapFrame): loads every
; register from the context and iretq's to ring 3. Interrupts off. Never returns.
exo_resume_user:
    cmp byte [light_busy], 0
    jne light_switched
..@resume_checked:
    mov rsp, rdi
    IRQOFF_END
    RESTORE_XSTATE
    add rsp, XSTATE_AREA
    POP_GPRS
    add rsp, 16
    and qword [rsp + 16], USER_FLAGS_KEEP
    or qword [rsp + 16], USER_FLAGS_SET
    iretq

; exo_idle(): interrupts on, halt until an interrupt, interrupts off again; returns.
exo_idle:
    cmp byte [light_busy], 0
    jne light_switched
    IRQOFF_END
    sti
    hlt
    cli
    IRQOFF_START
    mov qword [exo_kernel_stats + KS_CAUSE], CAUSE_IDLE
    ret

; exo_light_init(rdi = 1 when fastpath=off) (C#: Core/KernelStats.Initialize, System V, once at
; boot): with the fast paths off, entry_table's light rows go the general way.
exo_light_init:
    test rdi, rdi
    jz .exit
    lea rax, [syscall_entry.light]
    lea rdx, [syscall_entry.general]
    lea r8, [entry_table]
    xor ecx, ecx
.row:
    cmp [r8 + rcx * 8], rax
    jne .next
    mov [r8 + rcx * 8], rdx
.next:
    inc ecx
    cmp ecx, ENTRY_CALLS
    jb .row
.exit:
    ret

; A light call tried to switch environments or idle: a kernel bug (entry_table lists a call
; it must not), stopped here as a kernel-mode #UD (Core/Traps.cs panics with this rip).
light_switched:
    ud2

section .data
align 8
; The constants above that C# also defines, in tests/Kernel/AsmContract.cs's order: checked at boot,
; so a layout or ABI change on one side only is a panic, not a silent corruption.
exo_asm_contract:
    dq SYS_ENVID, SYS_PAGE_MAP_ONE, SYS_IPC_CALL_REGISTERS, SYS_IPC_REPLY_REGISTERS
    dq TF_VECTOR, TF_ERROR, TF_RIP, TF_CS, TF_RFLAGS, TF_RSP
    dq TF_R10, TF_R9, TF_R8, TF_RDI, TF_RSI, TF_RDX, TF_RAX, TRAP_FRAME_SIZE, CONTEXT_SIZE
    dq XREG(0), XREG(9), XREG(13), XREG(14), XREG(15), XREG(16), XREG(17)
    dq EF_SHIFT, EF_ID, EF_CTX_END, EF_ROOT, EF_WAIT, EF_CALLEE, EF_REPLY, EF_SLOTS, EF_PML4, EF_CAPACITY, EF_FOREIGN, EF_FS
    dq SLOT_SHIFT, SLOT_TYPE, SLOT_WRITABLE, SLOT_GEN, SLOT_MAPCOUNT, SLOT_OBJECT, CAP_FRAME, HANDLE_INDEX_BITS, CHUNK_SHIFT
    dq PF_WRITABLE, PF_EXECUTABLE, PF_AVAILABLE, PF_ALLOWED
    dq UL_BASE, UL_END, UL_WINDOWS_START, UL_WINDOWS_END, DIRECT_MAP, PTE_ADDRESS
    dq MAX_ENVS, REC_SIZE, REC_STATUS, REC_CALLEE, REC_WAITING, REC_CALLING, IPC_IN_REGISTERS
    dq EXCEPTION_STACK_SPAN, UPCALL_FLAGS_KEEP
    dq SLOT_RIGHTS, SLOT_BADGE, CAP_NONE, CAP_ENV, CAP_REPLY, RIGHT_CALL, REPLY_SLOT, MAX_GENERATION
    dq USER_FLAGS_KEEP
    dq KS_FAST_OFF, KS_UPCALL, KS_PAGE_MAP, KS_IPC, KS_SINCE, KS_MAX, KS_MAX_CAUSE, KS_CAUSE
    dq SYS_YIELD, RIGHT_YIELD, EF_HOLD, EF_EPILOGUE, KS_YIELD
    dq KS_LIGHT, TF_R11, TF_RCX, SYS_CONSOLE_WRITE, SYS_ENV_ID_OF, SYS_FRAME_ALLOC, SYS_FRAME_FREE
    dq SYS_PAGE_UNMAP, SYS_PAGE_QUERY, SYS_FILTER_CLASSIFY, SYS_NET_TRANSMIT, SYS_NET_INFO, SYS_CAP_MINT
    dq SYS_PAGE_MAP_RANGE, SYS_ACCOUNT_INFO, SYS_PAGE_SHARE, SYS_XN_READ, SYS_XN_INFO
    dq -1                       ; the end
; syscall_entry's jump for calls below FAST_CALLS, after the general save: a call's fast path
; (each one checks fastpath=off itself and goes on to C# for any case it does not take), else C#.
fast_table:
%assign i 0
%rep FAST_CALLS
%if i == SYS_YIELD
    dq yield_fast
%elif i == SYS_IPC_CALL_REGISTERS
    dq ipc_call_fast
%elif i == SYS_IPC_REPLY_REGISTERS
    dq ipc_reply_fast
%else
    dq syscall_entry.csharp
%endif
%assign i i+1
%endrep
; syscall_entry's first jump, for calls below ENTRY_CALLS (nothing saved yet): EnvId's and
; PageMapOne's fast paths, the light calls (see .light), else the general path.
entry_table:
%assign i 0
%rep ENTRY_CALLS
%if i == SYS_ENVID
    dq syscall_entry.env_id
%elif i == SYS_PAGE_MAP_ONE
    dq syscall_entry.page_map_one
%elif IS_LIGHT(i)
    dq syscall_entry.light
%else
    dq syscall_entry.general
%endif
%assign i i+1
%endrep
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
exo_foreign_limit: resq 1       ; its EnvFast.ForeignLimit (Scheduler.cs, ipc_switch)
exo_fs_owner: resq 1            ; the index whose FS and GS bases the CPU holds (0: none)
exo_current_context_end: resq 1 ; the end of the running environment's UserContext (Scheduler.cs)
exo_current_index: resq 1       ; the running environment's table index, 0: none (Scheduler.cs)
exo_env_records: resq 1         ; EnvTable's published records (EnvTable.Initialize)
exo_kernel_stats: resq 10       ; KS_* above (Core/KernelStats.cs)
light_busy: resb 1              ; 1 while a light call runs C#
alignb 8
exo_upcall_cache: resq 7        ; UC_* above (Core/UpcallCache.cs keeps it)
upcall_scratch: resq 1          ; the user's rax while the fast path runs
alignb 4096
exo_trap_stack: resb 65536
exo_trap_stack_top:                         ; the stack grows down from here: nothing above it is its
alignb 64
exo_env_fast: resb MAX_ENVS << EF_SHIFT     ; Core/EnvFast.cs rows
