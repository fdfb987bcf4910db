// Compiles the filter trie into one bytecode program returning the rank of the earliest installed
// matching filter (0: none), so the merged set runs in either engine and passes the verifier.
// Each field read is preceded by an explicit length check (ld buflen), so a short packet fails
// that branch only, not the whole program; M[0] holds the best rank so far.
// Missing: reuse of a loaded field across sibling groups.
using ExoSharp.Executive.Bytecode;

namespace ExoSharp.Executive.Demux;

public static class MergedProgramGenerator
{
    private const int LinearSearchMax = 3;

    /// <summary>The merged program, or null if it would not fit in the verifier's length limit.</summary>
    public static Instruction[] Generate(TrieNode root)
    {
        var asm = new ProgramAssembler();
        asm.Emit(Opcode.Ld | Opcode.Imm, 0xFFFFFFFF);
        asm.Emit(Opcode.St, 0);
        Node(asm, root, 0);
        int none = asm.NewLabel();
        asm.Emit(Opcode.Ld | Opcode.Mem, 0);
        asm.Jump(Opcode.Jmp | Opcode.Jeq | Opcode.K, 0xFFFFFFFF, none, -1);
        asm.Emit(Opcode.Ret | Opcode.RetA, 0);
        asm.Bind(none);
        asm.Emit(Opcode.Ret | Opcode.RetK, 0);
        Instruction[] program = asm.Finish();
        if (program == null || program.Length > Verification.Verifier.MaxLength) return null;
        return program;
    }

    /// <param name="checkedLength">Packet bytes already proven present on every path reaching here.</param>
    private static void Node(ProgramAssembler asm, TrieNode node, uint checkedLength)
    {
        if (node.BestRank != 0)
        {
            int skip = asm.NewLabel();
            asm.Emit(Opcode.Ld | Opcode.Mem, 0);
            asm.Jump(Opcode.Jmp | Opcode.Jgt | Opcode.K, node.BestRank, -1, skip);
            asm.Emit(Opcode.Ld | Opcode.Imm, node.BestRank);
            asm.Emit(Opcode.St, 0);
            asm.Bind(skip);
        }
        for (int g = 0; g < node.Groups.Count; g++)
        {
            TrieGroup group = node.Groups[g];
            int next = asm.NewLabel();
            uint below = LoadField(asm, group, checkedLength, next);
            Search(asm, group, 0, group.Values.Count, below, next);
            asm.Bind(next);
        }
    }

    /// <summary>Emits the length checks and the load of the group's field into A (jumping to fail
    /// if the packet is too short); returns the proven length for the subtree.</summary>
    private static uint LoadField(ProgramAssembler asm, TrieGroup group, uint checkedLength, int fail)
    {
        FieldKey key = group.Key;
        int size = key.Size == 4 ? Opcode.W : key.Size == 2 ? Opcode.H : Opcode.B;
        uint below = checkedLength;
        if (!key.AfterHeader)
        {
            uint end = key.Offset + key.Size;
            if (end > checkedLength)
            {
                asm.Emit(Opcode.Ld | Opcode.W | Opcode.BufLen, 0);
                asm.Jump(Opcode.Jmp | Opcode.Jge | Opcode.K, end, -1, fail);
                below = end;
            }
            asm.Emit(Opcode.Ld | size | Opcode.Abs, key.Offset);
        }
        else
        {
            if (key.HeaderOffset + 1 > checkedLength)
            {
                asm.Emit(Opcode.Ld | Opcode.W | Opcode.BufLen, 0);
                asm.Jump(Opcode.Jmp | Opcode.Jgt | Opcode.K, key.HeaderOffset, -1, fail);
            }
            asm.Emit(Opcode.Ldx | Opcode.B | Opcode.Msh, key.HeaderOffset);
            asm.Emit(Opcode.Misc | Opcode.Txa, 0);
            asm.Emit(Opcode.Alu | Opcode.Add | Opcode.K, key.Offset + key.Size);
            asm.Emit(Opcode.Misc | Opcode.Tax, 0);
            asm.Emit(Opcode.Ld | Opcode.W | Opcode.BufLen, 0);
            asm.Jump(Opcode.Jmp | Opcode.Jge | Opcode.X, 0, -1, fail);
            asm.Emit(Opcode.Ldx | Opcode.B | Opcode.Msh, key.HeaderOffset);
            asm.Emit(Opcode.Ld | size | Opcode.Ind, key.Offset);
        }
        if (group.Mask != key.FullMask) asm.Emit(Opcode.Alu | Opcode.And | Opcode.K, group.Mask);
        return below;
    }

    /// <summary>Finds A among Values[lo..hi) and runs the matching child; then goes to done.</summary>
    private static void Search(ProgramAssembler asm, TrieGroup group, int lo, int hi, uint checkedLength, int done)
    {
        if (hi - lo <= LinearSearchMax)
        {
            for (int i = lo; i < hi; i++)
            {
                int miss = asm.NewLabel();
                asm.Jump(Opcode.Jmp | Opcode.Jeq | Opcode.K, group.Values[i], -1, miss);
                Node(asm, group.Children[i], checkedLength);
                asm.JumpAlways(done);
                asm.Bind(miss);
            }
            asm.JumpAlways(done);
            return;
        }
        int mid = (lo + hi) / 2;
        int upper = asm.NewLabel();
        asm.Jump(Opcode.Jmp | Opcode.Jgt | Opcode.K, group.Values[mid - 1], upper, -1);
        Search(asm, group, lo, mid, checkedLength, done);
        asm.Bind(upper);
        Search(asm, group, mid, hi, checkedLength, done);
    }
}
