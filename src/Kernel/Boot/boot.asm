; Multiboot (v1) entry of the kernel: QEMU -kernel or GRUB loads the image at 1 MiB physical
; and jumps to _start in 32-bit protected mode. The kernel is linked in the top 2 GiB
; (KERNEL_OFFSET + physical); the lower half of every address space belongs to user mode.
; We build boot page tables with 2 MiB pages: physical 0-4 GiB at DIRECT_MAP (the kernel's view
; of all physical memory: writable, never executable), and the image's own 2 MiB pages (from
; physical 0 to __kernel_end) at KERNEL_OFFSET and, only for the jump, at 0 (removed at once);
; enter long mode with SSE and NX enabled; and call
; ExoSharpKernelMain(rdi = multiboot magic, rsi = multiboot info (physical),
; rdx = &exo_boot_symbols) with the System V calling convention. It never returns.
; exo_boot_symbols is read by Core/BootSymbols.cs: keep the two in the same order.

MB_MAGIC      equ 0x1BADB002
MB_FLAGS      equ (1 << 0) | (1 << 1) | (1 << 16)   ; page-align modules, memory map, address fields
KERNEL_CS     equ 0x08
KERNEL_DS     equ 0x10
KERNEL_OFFSET equ 0xFFFFFFFF80000000
EARLY_HEAP_SIZE equ 2 * 1024 * 1024

%define PHYS(x) ((x) - KERNEL_OFFSET)

extern __load_start, __load_end, __bss_end, __kernel_end, __start___modules, __stop___modules
extern __rodata_start, __data_start
extern ExoSharpKernelMain, exo_trap_stack, exo_trap_stack_top, isr_table, syscall_entry, exo_current_id, exo_foreign_limit, exo_fs_owner
extern exo_upcall_cache, exo_current_context_end, exo_current_index, exo_env_fast, exo_env_records, exo_asm_contract
global _start, boot_pml4, boot_gdt, boot_gdt_tss, boot_stack_top, boot_df_stack_top, exo_boot_symbols, exo_xsave_mask, exo_xsave_size, exo_mxcsr_mask, exo_fsgsbase

section .multiboot
align 4
multiboot_header:
    dd MB_MAGIC
    dd MB_FLAGS
    dd -(MB_MAGIC + MB_FLAGS)
    dd PHYS(multiboot_header)   ; header_addr
    dd PHYS(__load_start)       ; load_addr
    dd PHYS(__load_end)         ; load_end_addr
    dd PHYS(__bss_end)          ; bss_end_addr
    dd PHYS(_start)             ; entry_addr

section .boot32 progbits alloc exec
bits 32
_start:
    cli
    mov esp, PHYS(boot_stack_top)
    mov edi, eax                ; multiboot magic
    mov esi, ebx                ; multiboot info (physical, below 4 GiB)

    ; PML4[256] -> PDPT (PDPT[0..3] -> PD0..PD3: the direct map, NX); PML4[511] -> PDPT_HIGH
    ; (PDPT_HIGH[510] -> PD_IMAGE: 0xFFFFFFFF80000000 maps the image's 2 MiB pages) and, for the
    ; jump only, PML4[0] -> PDPT_IDENT (PDPT_IDENT[0] -> PD_IMAGE).
    mov eax, PHYS(boot_pdpt)
    or eax, 3
    mov [PHYS(boot_pml4) + 256 * 8], eax
    mov eax, PHYS(boot_pdpt_ident)
    or eax, 3
    mov [PHYS(boot_pml4)], eax
    mov eax, PHYS(boot_pdpt_high)
    or eax, 3
    mov [PHYS(boot_pml4) + 511 * 8], eax
    mov eax, PHYS(boot_pd_image)
    or eax, 3
    mov [PHYS(boot_pdpt_high) + 510 * 8], eax
    mov [PHYS(boot_pdpt_ident)], eax
    mov ecx, 0
.pdpt:
    mov eax, ecx
    shl eax, 12
    add eax, PHYS(boot_pd)
    or eax, 3
    mov [PHYS(boot_pdpt) + ecx * 8], eax
    inc ecx
    cmp ecx, 4
    jb .pdpt
    mov ecx, 0                  ; 2048 PD entries map 4 GiB with 2 MiB pages
.pd:
    mov eax, ecx
    shl eax, 21
    or eax, 0x83                ; present, writable, large; supervisor only
    mov edx, ecx
    shr edx, 11                 ; high half of the physical address
    or edx, 0x80000000          ; NX: nothing runs from the direct map
    mov [PHYS(boot_pd) + ecx * 8], eax
    mov [PHYS(boot_pd) + ecx * 8 + 4], edx
    inc ecx
    cmp ecx, 2048
    jb .pd
    mov ecx, 0                  ; the image: 2 MiB pages from 0 to __kernel_end
.image:
    mov eax, ecx
    shl eax, 21
    or eax, 0x83
    mov [PHYS(boot_pd_image) + ecx * 8], eax
    inc ecx
    mov eax, ecx
    shl eax, 21
    cmp eax, PHYS(__kernel_end)
    jb .image

    mov eax, cr4
    or eax, (1 << 5) | (1 << 9) | (1 << 10)   ; PAE, OSFXSR, OSXMMEXCPT
    mov cr4, eax
    mov eax, PHYS(boot_pml4)
    mov cr3, eax
    mov ecx, 0xC0000080         ; EFER
    rdmsr
    or eax, (1 << 0) | (1 << 8) | (1 << 11)   ; SCE, LME, NXE
    wrmsr
    mov eax, cr0
    and eax, ~(1 << 2)          ; clear EM
    or eax, (1 << 31) | (1 << 16) | (1 << 1) | 1   ; PG, WP, MP, PE
    mov cr0, eax
    lgdt [PHYS(boot_gdt_ptr32)]
    jmp KERNEL_CS:PHYS(long_mode_low)

bits 64
long_mode_low:
    mov rax, long_mode
    jmp rax                     ; into the higher half

section .text
long_mode:
    lgdt [boot_gdt_ptr64]       ; the GDT by its virtual address
    mov ax, KERNEL_DS
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor eax, eax
    mov fs, ax
    mov gs, ax
    mov rsp, boot_stack_top
    mov qword [boot_pml4], 0    ; the identity map is gone: the lower half is user space
    mov rax, cr3
    mov cr3, rax
    call xsave_init
    call fsgsbase_init
    fninit
    mov eax, 0x1F80             ; MXCSR default: all exceptions masked
    push rax
    ldmxcsr [rsp]
    pop rax
    xor ebp, ebp
    mov rdx, exo_boot_symbols
    call ExoSharpKernelMain     ; rdi = magic, rsi = info (zero-extended by the 32-bit moves)
.halt:
    cli
    hlt
    jmp .halt

; XSAVE, when CPUID.1:ECX bit 26 says the CPU has it: CR4.OSXSAVE on, XCR0 = the x87, SSE
; and AVX components CPUID.(EAX=0Dh,ECX=0):EAX reports (AVX-512 and the rest stay off: their
; state would not fit X64/UserContext.XStateArea), kept in exo_xsave_mask for stubs.asm's
; saves; the area's size for it (CPUID.(0Dh,0):EBX, in exo_xsave_size) must fit XSTATE_AREA,
; else XCR0 keeps x87 and SSE only. Without XSAVE exo_xsave_mask stays 0 and stubs.asm uses
; FXSAVE. exo_mxcsr_mask: the MXCSR bits this CPU accepts (X64/ExtendedState.cs checks).
; Preserves rdi and rsi (the multiboot arguments).
; fsgsbase_init: CR4.FSGSBASE when CPUID.(7,0):EBX bit 0 says the CPU has it, so user code
; sets its own FS and GS bases (thread-local storage) with wrfsbase/wrgsbase; exo_fsgsbase = 1
; then (stubs.asm and X64/cpu.asm keep the bases per environment). Preserves rdi and rsi.
fsgsbase_init:
    push rbx
    xor eax, eax
    cpuid
    cmp eax, 7
    jb .done
    mov eax, 7
    xor ecx, ecx
    cpuid
    bt ebx, 0
    jnc .done
    mov rax, cr4
    bts rax, 16                 ; FSGSBASE
    mov cr4, rax
    mov qword [exo_fsgsbase], 1
.done:
    pop rbx
    ret

XSTATE_AREA equ 1040            ; X64/UserContext.XStateArea
xsave_init:
    push rbx
    mov eax, 1
    cpuid
    bt ecx, 26
    jnc .done
    mov eax, 0x0D
    xor ecx, ecx
    cpuid
    and eax, 7                  ; x87, SSE, AVX
    or eax, 3
    mov r8d, eax
    mov rax, cr4
    bts rax, 18                 ; OSXSAVE
    mov cr4, rax
    mov eax, r8d
    xor edx, edx
    xor ecx, ecx
    xsetbv
    mov eax, 0x0D
    xor ecx, ecx
    cpuid                       ; ebx = the area's size for XCR0 as now set
    cmp ebx, XSTATE_AREA
    jbe .set
    mov r8d, 3
    mov eax, r8d
    xor edx, edx
    xor ecx, ecx
    xsetbv
    mov eax, 0x0D
    xor ecx, ecx
    cpuid
.set:
    mov [exo_xsave_mask], r8
    mov [exo_xsave_size], rbx
.done:
    sub rsp, 528                ; MXCSR_MASK from an FXSAVE image (0 there means 0xFFBF)
    mov rax, rsp
    and rax, -16
    fxsave64 [rax]
    mov eax, [rax + 28]
    test eax, eax
    jnz .mask
    mov eax, 0xFFBF
.mask:
    mov [exo_mxcsr_mask], rax
    add rsp, 528
    pop rbx
    ret

section .data
align 8
exo_xsave_mask: dq 0            ; XCR0 (x87 1, SSE 2, AVX 4), 0: no XSAVE (stubs.asm: FXSAVE)
exo_xsave_size: dq 512          ; the area's size for it (FXSAVE's without XSAVE)
exo_mxcsr_mask: dq 0xFFBF       ; the MXCSR bits the CPU accepts
exo_fsgsbase:   dq 0            ; 1: CR4.FSGSBASE is on (fsgsbase_init)
exo_boot_symbols:
    dq _start, __kernel_end, __start___modules, __stop___modules
    dq boot_gdt_tss, boot_df_stack_top, exo_trap_stack_top, isr_table
    dq syscall_entry, boot_pml4, early_heap, EARLY_HEAP_SIZE
    dq exo_current_id, exo_upcall_cache, exo_current_context_end
    dq exo_current_index, exo_env_fast, exo_env_records, exo_asm_contract
    dq __rodata_start, __data_start
    dq boot_stack, boot_stack_top, exo_trap_stack    ; the stacks the collector scans (Core/Collector.cs)
    dq exo_foreign_limit, exo_fs_owner

align 16
; 0x08 kernel code, 0x10 kernel data, 0x18 user code (32-bit, unused), 0x20 user data,
; 0x28 user code (64-bit), 0x30 TSS (16 bytes, filled by X64/Gdt.cs). SYSRET relies on this order.
boot_gdt:
    dq 0
    dq 0x00AF9A000000FFFF       ; kernel code: present, ring 0, long mode
    dq 0x00CF92000000FFFF       ; kernel data
    dq 0x00CFFA000000FFFF       ; user code 32 (placeholder for SYSRET's layout)
    dq 0x00CFF2000000FFFF       ; user data, ring 3
    dq 0x00AFFA000000FFFF       ; user code 64, ring 3
boot_gdt_tss:
    dq 0, 0
boot_gdt_end:
boot_gdt_ptr32:
    dw boot_gdt_end - boot_gdt - 1
    dd PHYS(boot_gdt)
boot_gdt_ptr64:
    dw boot_gdt_end - boot_gdt - 1
    dq boot_gdt

section .bss
alignb 4096
boot_pml4:      resb 4096
boot_pdpt:      resb 4096
boot_pdpt_high: resb 4096
boot_pdpt_ident: resb 4096
boot_pd:        resb 4096 * 4
boot_pd_image:  resb 4096
boot_stack:     resb 65536
boot_stack_top:
boot_df_stack:  resb 16384
boot_df_stack_top:
early_heap:     resb EARLY_HEAP_SIZE
