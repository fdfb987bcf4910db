; FS and GS base probes for the segment-base test (C#: Foreign/SegmentBases.cs, System V):
; segbase_set(rdi = fs, rsi = gs) with wrfsbase/wrgsbase; segbase_fs() / segbase_gs() ->
; rax = rdfsbase / rdgsbase; segbase_fs_word() -> rax = the word at fs:0 (a TLS self pointer).
bits 64
default rel
section .text
global segbase_set, segbase_fs, segbase_gs, segbase_fs_word
segbase_set:
    wrfsbase rdi
    wrgsbase rsi
    ret
segbase_fs:
    rdfsbase rax
    ret
segbase_gs:
    rdgsbase rax
    ret
segbase_fs_word:
    mov rax, [fs:0]
    ret
