; Privileged instructions for C#, one tiny function each. Callers: ExoSharp.Kernel.X64.Cpu
; (declared there with [RuntimeImport]); System V calling convention, arguments in rdi, rsi,
; rdx, result in rax. Preconditions are the callers' (most need interrupts off).

bits 64
default rel
section .text

global cpu_outb, cpu_inb, cpu_outw, cpu_inw, cpu_outd, cpu_ind
global cpu_rdmsr, cpu_wrmsr, cpu_read_cr2, cpu_read_cr3, cpu_write_cr3, cpu_invlpg
global cpu_lidt, cpu_ltr, cpu_hlt, cpu_cli, cpu_sti, cpu_pause, cpu_rdtsc, cpu_read_rflags
global cpu_halt_forever, cpu_xstate, cpu_fsgs_save, cpu_fsgs_load

extern exo_xsave_mask, exo_xsave_size, exo_mxcsr_mask, exo_fsgsbase

cpu_outb:   mov edx, edi
            mov eax, esi
            out dx, al
            ret
cpu_inb:    mov edx, edi
            xor eax, eax
            in al, dx
            ret
cpu_outw:   mov edx, edi
            mov eax, esi
            out dx, ax
            ret
cpu_inw:    mov edx, edi
            xor eax, eax
            in ax, dx
            ret
cpu_outd:   mov edx, edi
            mov eax, esi
            out dx, eax
            ret
cpu_ind:    mov edx, edi
            in eax, dx
            ret
cpu_rdmsr:  mov ecx, edi            ; rdmsr(msr) -> value
            rdmsr
            shl rdx, 32
            or rax, rdx
            ret
cpu_wrmsr:  mov ecx, edi            ; wrmsr(msr, value)
            mov rax, rsi
            mov rdx, rsi
            shr rdx, 32
            wrmsr
            ret
cpu_read_cr2:   mov rax, cr2
                ret
cpu_read_cr3:   mov rax, cr3
                ret
cpu_write_cr3:  mov cr3, rdi
                ret
cpu_invlpg:     invlpg [rdi]
                ret
cpu_lidt:       lidt [rdi]          ; rdi = pointer to a 10-byte descriptor
                ret
cpu_ltr:        ltr di
                ret
cpu_hlt:        hlt
                ret
cpu_cli:        cli
                ret
cpu_sti:        sti
                ret
cpu_pause:      pause
                ret
cpu_rdtsc:      rdtsc
                shl rdx, 32
                or rax, rdx
                ret
cpu_read_rflags:
                pushfq
                pop rax
                ret
; cpu_xstate(rdi = ulong[3]): XCR0 as Boot/boot.asm set it (0: FXSAVE only), the area's
; size, MXCSR_MASK.
cpu_xstate:     mov rax, [exo_xsave_mask]
                mov [rdi], rax
                mov rax, [exo_xsave_size]
                mov [rdi + 8], rax
                mov rax, [exo_mxcsr_mask]
                mov [rdi + 16], rax
                ret
cpu_halt_forever:
                cli
.again:         hlt
                jmp .again

; cpu_fsgs_save(rdi = ulong[2]): the FS and GS bases now in the CPU; cpu_fsgs_load(rdi =
; ulong[2]): sets them. Both do nothing without CR4.FSGSBASE (exo_fsgsbase 0). Callers:
; Core/Scheduler.cs (environment switches), Core/Syscalls.cs (EnvCreate). Interrupts off.
cpu_fsgs_save:  cmp qword [exo_fsgsbase], 0
                je .none
                rdfsbase rax
                mov [rdi], rax
                rdgsbase rax
                mov [rdi + 8], rax
.none:          ret
cpu_fsgs_load:  cmp qword [exo_fsgsbase], 0
                je .none
                mov rax, [rdi]
                wrfsbase rax
                mov rax, [rdi + 8]
                wrgsbase rax
.none:          ret
