; Multiboot (v1) entry of the kernel: QEMU -kernel or GRUB loads us at 1 MiB in 32-bit
; protected mode. We build the boot page tables (identity map of the first 4 GiB, supervisor
; only, page 0 unmapped so null dereferences fault; the rest of the first 64 KiB
; follows once C# has copied the multiboot information), enter long mode with SSE enabled,
; and call the C# entry ExoSharpKernelMain(rdi = multiboot magic, rsi = multiboot info,
; rdx = &exo_boot_symbols) with the System V calling convention. It never returns.
; exo_boot_symbols is read by Core/BootSymbols.cs: keep the two in the same order.
; Linked first by kernel.ld; symbols for the a.out kludge come from the linker script.

MB_MAGIC    equ 0x1BADB002
MB_FLAGS    equ (1 << 0) | (1 << 1) | (1 << 16)   ; page-align modules, memory map, address fields
KERNEL_CS   equ 0x08
KERNEL_DS   equ 0x10

extern __load_start, __load_end, __bss_end, __kernel_end, __start___modules, __stop___modules
extern ExoSharpKernelMain, exo_trap_stack_top, isr_table, syscall_entry
global _start, boot_pml4, boot_gdt, boot_gdt_tss, boot_stack_top, boot_df_stack_top

EARLY_HEAP_SIZE equ 2 * 1024 * 1024

section .multiboot
align 4
multiboot_header:
    dd MB_MAGIC
    dd MB_FLAGS
    dd -(MB_MAGIC + MB_FLAGS)
    dd multiboot_header         ; header_addr
    dd __load_start             ; load_addr
    dd __load_end               ; load_end_addr
    dd __bss_end                ; bss_end_addr
    dd _start                   ; entry_addr

section .boot32 progbits alloc exec
bits 32
_start:
    cli
    mov esp, boot_stack_top
    mov edi, eax                ; multiboot magic
    mov esi, ebx                ; multiboot info (physical, below 4 GiB)

    ; PML4[0] -> PDPT, PDPT[0..3] -> PD0..PD3 (2 MiB pages), PD0[0] -> PT0 (4 KiB pages)
    mov eax, boot_pdpt
    or eax, 3
    mov [boot_pml4], eax
    mov ecx, 0
.pdpt:
    mov eax, ecx
    shl eax, 12
    add eax, boot_pd
    or eax, 3
    mov [boot_pdpt + ecx * 8], eax
    inc ecx
    cmp ecx, 4
    jb .pdpt
    mov ecx, 0                  ; 2048 PD entries map 4 GiB with 2 MiB pages
.pd:
    mov eax, ecx
    shl eax, 21
    or eax, 0x83                ; present, writable, large
    mov edx, ecx
    shr edx, 11                 ; high half of the physical address (ecx >> 11)
    mov [boot_pd + ecx * 8], eax
    mov [boot_pd + ecx * 8 + 4], edx
    inc ecx
    cmp ecx, 2048
    jb .pd
    mov eax, boot_pt0
    or eax, 3
    mov [boot_pd], eax          ; first 2 MiB in 4 KiB pages
    mov ecx, 1                  ; page 0 stays unmapped; pages 1..15 hold the multiboot
                                ; information and are unmapped once it is copied (BootInfo.cs)
.pt:
    mov eax, ecx
    shl eax, 12
    or eax, 3
    mov [boot_pt0 + ecx * 8], eax
    inc ecx
    cmp ecx, 512
    jb .pt

    mov eax, cr4
    or eax, (1 << 5) | (1 << 9) | (1 << 10)   ; PAE, OSFXSR, OSXMMEXCPT
    mov cr4, eax
    mov eax, boot_pml4
    mov cr3, eax
    mov ecx, 0xC0000080         ; EFER
    rdmsr
    or eax, (1 << 0) | (1 << 8) | (1 << 11)   ; SCE, LME, NXE
    wrmsr
    mov eax, cr0
    and eax, ~(1 << 2)          ; clear EM
    or eax, (1 << 31) | (1 << 16) | (1 << 1) | 1   ; PG, WP, MP, PE
    mov cr0, eax
    lgdt [boot_gdt_ptr]
    jmp KERNEL_CS:long_mode

bits 64
long_mode:
    mov ax, KERNEL_DS
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor eax, eax
    mov fs, ax
    mov gs, ax
    mov rsp, boot_stack_top
    fninit
    mov eax, 0x1F80             ; MXCSR default: all exceptions masked
    push rax
    ldmxcsr [rsp]
    pop rax
    xor ebp, ebp
    lea rdx, [exo_boot_symbols]
    call ExoSharpKernelMain     ; rdi = magic, rsi = info (zero-extended by the 32-bit moves)
.halt:
    cli
    hlt
    jmp .halt

section .data
align 8
exo_boot_symbols:
    dq _start, __kernel_end, __start___modules, __stop___modules
    dq boot_gdt_tss, boot_df_stack_top, exo_trap_stack_top, isr_table
    dq syscall_entry, boot_pml4, early_heap, EARLY_HEAP_SIZE
    dq boot_pt0

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
boot_gdt_ptr:
    dw boot_gdt_end - boot_gdt - 1
    dq boot_gdt

section .bss
alignb 4096
boot_pml4:  resb 4096
boot_pdpt:  resb 4096
boot_pd:    resb 4096 * 4
boot_pt0:   resb 4096
boot_stack: resb 65536
boot_stack_top:
boot_df_stack: resb 16384
boot_df_stack_top:
early_heap: resb EARLY_HEAP_SIZE
