// Finds a verified program's DPF shape by walking its paths symbolically: loads become fields,
// jeq/jset on them atoms, each path to a non-zero constant return a conjunction. Exact when the
// OR of conjunctions is the filter itself (see Exact and docs/executive.md); otherwise it still
// covers the filter (opaque tests dropped), which the overlap rule needs. Bounded: gives up
// (Anything) past 64 branches deep, 64 conjunctions or 20000 steps.
using System;
using ExoSharp.Executive.Bytecode;
using ExoSharp.Executive.Collections;

namespace ExoSharp.Executive.Demux;

public sealed class AtomExtractor
{
    private const int MaxDepth = 64, MaxConjunctions = 64, MaxSteps = 20000;

    private readonly Instruction[] _program;
    private readonly GrowableArray<Atom> _atoms = new GrowableArray<Atom>(16);
    private readonly GrowableArray<Atom> _negatives = new GrowableArray<Atom>(16);
    private readonly GrowableArray<Conjunction> _found = new GrowableArray<Conjunction>(4);
    private readonly GrowableArray<PathFacts> _paths = new GrowableArray<PathFacts>(4);
    private bool _gaveUp;
    private int _steps;

    private AtomExtractor(ReadOnlySpan<Instruction> program)
    {
        _program = new Instruction[program.Length];
        for (int i = 0; i < program.Length; i++) _program[i] = program[i];
    }

    /// <summary>Precondition: the program passed the Verifier.</summary>
    public static FilterShape Extract(ReadOnlySpan<Instruction> program)
    {
        var walker = new AtomExtractor(program);
        walker.Walk(0, default, default, true, 0);
        if (walker._gaveUp) return FilterShape.Anything();
        return new FilterShape(walker._found.ToArray(), walker.Exact());
    }

    private void Walk(int pc, SymbolicRegister a, SymbolicRegister x, bool exact, int depth)
    {
        if (depth > MaxDepth)
        {
            _gaveUp = true;
            return;
        }
        while (!_gaveUp)
        {
            if (++_steps > MaxSteps)
            {
                _gaveUp = true;
                return;
            }
            Instruction insn = _program[pc];
            pc++;
            int cls = Opcode.Class(insn.Code);
            switch (cls)
            {
                case Opcode.Ret:
                    if (insn.Code == (Opcode.Ret | Opcode.RetK) && insn.K == 0) return;
                    Accept(a, x, exact && insn.Code == (Opcode.Ret | Opcode.RetK), insn.K);
                    return;

                case Opcode.Ld:
                    if (a.Kind == SymbolicRegister.Field && a.Pending) exact = false;
                    a = Load(insn, x, ref exact);
                    if (Opcode.Mode(insn.Code) == Opcode.Ind && x.Kind == SymbolicRegister.Header) x.Pending = false;
                    break;

                case Opcode.Ldx:
                    if (x.Kind == SymbolicRegister.Header && x.Pending) exact = false;
                    x = default;
                    if (insn.Code == (Opcode.Ldx | Opcode.B | Opcode.Msh))
                    {
                        x.Kind = SymbolicRegister.Header;
                        x.Value = insn.K;
                        x.Pending = true;
                    }
                    else if (insn.Code == (Opcode.Ldx | Opcode.Imm))
                    {
                        x.Kind = SymbolicRegister.Constant;
                        x.Value = insn.K;
                    }
                    break;

                case Opcode.St:
                case Opcode.Stx:
                    break;

                case Opcode.Misc:
                    if (insn.Code == (Opcode.Misc | Opcode.Tax))
                    {
                        if (x.Kind == SymbolicRegister.Header && x.Pending) exact = false;
                        x = a.Kind == SymbolicRegister.Constant ? a : default;
                    }
                    else if (insn.Code == (Opcode.Misc | Opcode.Txa))
                    {
                        if (a.Kind == SymbolicRegister.Field && a.Pending) exact = false;
                        a = x.Kind == SymbolicRegister.Constant ? x : default;
                    }
                    else
                    {
                        exact = false;
                    }
                    break;

                case Opcode.Alu:
                    if (insn.Code == (Opcode.Alu | Opcode.And | Opcode.K) && a.Kind == SymbolicRegister.Field)
                    {
                        a.Mask &= insn.K;
                    }
                    else
                    {
                        int op = Opcode.Operation(insn.Code);
                        if (Opcode.Source(insn.Code) == Opcode.X && (op == Opcode.Div || op == Opcode.Mod)) exact = false;
                        if (a.Kind == SymbolicRegister.Field && a.Pending) exact = false;
                        a = default;
                    }
                    break;

                case Opcode.Jmp:
                    if (Opcode.Operation(insn.Code) == Opcode.Ja)
                    {
                        pc += (int)insn.K;
                        break;
                    }
                    Branch(insn, pc, a, x, exact, depth);
                    return;

                default:
                    exact = false;
                    break;
            }
        }
    }

    private static SymbolicRegister Load(Instruction insn, SymbolicRegister x, ref bool exact)
    {
        SymbolicRegister a = default;
        int mode = Opcode.Mode(insn.Code);
        byte size = (byte)Opcode.SizeBytes(insn.Code);
        if (mode == Opcode.Abs)
        {
            a.Kind = SymbolicRegister.Field;
            a.Key = FieldKey.Absolute(insn.K, size);
        }
        else if (mode == Opcode.Ind && x.Kind == SymbolicRegister.Header)
        {
            a.Kind = SymbolicRegister.Field;
            a.Key = FieldKey.Indirect(x.Value, insn.K, size);
        }
        else if (mode == Opcode.Imm)
        {
            a.Kind = SymbolicRegister.Constant;
            a.Value = insn.K;
            return a;
        }
        else
        {
            // An indirect load through an unknown X may fail its bounds check unseen.
            if (mode == Opcode.Ind) exact = false;
            return a;
        }
        if (a.Key.Offset > 0xFFFF || (a.Key.AfterHeader && a.Key.HeaderOffset > 0xFFFF))
        {
            // Offsets this large are never merged: the generated bounds checks stay small.
            exact = false;
            return default;
        }
        a.Mask = a.Key.FullMask;
        a.Pending = true;
        return a;
    }

    private void Branch(Instruction insn, int next, SymbolicRegister a, SymbolicRegister x, bool exact, int depth)
    {
        int taken = next + insn.JumpTrue, notTaken = next + insn.JumpFalse;
        int test = Opcode.Operation(insn.Code);
        bool constantOperand = Opcode.Source(insn.Code) == Opcode.K;
        if (a.Kind == SymbolicRegister.Constant && constantOperand)
        {
            bool holds = test == Opcode.Jeq ? a.Value == insn.K : test == Opcode.Jgt ? a.Value > insn.K
                : test == Opcode.Jge ? a.Value >= insn.K : (a.Value & insn.K) != 0;
            Walk(holds ? taken : notTaken, a, x, exact, depth + 1);
            return;
        }
        if (a.Kind != SymbolicRegister.Field || !constantOperand || (test != Opcode.Jeq && test != Opcode.Jset))
        {
            a.Pending = false;
            Walk(taken, a, x, false, depth + 1);
            Walk(notTaken, a, x, false, depth + 1);
            return;
        }
        a.Pending = false;
        if (test == Opcode.Jeq)
        {
            if ((insn.K & ~a.Mask) == 0)
            {
                _atoms.Add(new Atom(a.Key, a.Mask, insn.K));
                Walk(taken, a, x, exact, depth + 1);
                _atoms.Truncate(_atoms.Count - 1);
            }
            _negatives.Add(new Atom(a.Key, a.Mask, insn.K));
            Walk(notTaken, a, x, exact, depth + 1);
            _negatives.Truncate(_negatives.Count - 1);
            return;
        }
        uint bits = a.Mask & insn.K;
        if (bits != 0)
        {
            bool single = (bits & (bits - 1)) == 0;
            if (single) _atoms.Add(new Atom(a.Key, bits, bits));
            Walk(taken, a, x, exact && single, depth + 1);
            if (single) _atoms.Truncate(_atoms.Count - 1);
            _atoms.Add(new Atom(a.Key, bits, 0));
            Walk(notTaken, a, x, exact, depth + 1);
            _atoms.Truncate(_atoms.Count - 1);
        }
        else
        {
            Walk(notTaken, a, x, exact, depth + 1);
        }
    }

    private void Accept(SymbolicRegister a, SymbolicRegister x, bool exact, uint result)
    {
        if ((a.Kind == SymbolicRegister.Field && a.Pending) || (x.Kind == SymbolicRegister.Header && x.Pending)) exact = false;
        Atom[] atoms = Canonical(_atoms);
        if (atoms == null) return;
        // "Not equal" branches not implied by an atom on the same field are kept for Finish.
        var open = new GrowableArray<Atom>(2);
        for (int i = 0; i < _negatives.Count; i++)
        {
            Atom negative = _negatives[i];
            bool implied = false;
            for (int j = 0; j < atoms.Length && !implied; j++)
                implied = atoms[j].Field.SameAs(negative.Field) && ((atoms[j].Value ^ negative.Value) & atoms[j].Mask & negative.Mask) != 0;
            if (!implied) open.Add(negative);
        }
        if (_found.Count == MaxConjunctions)
        {
            _gaveUp = true;
            return;
        }
        _found.Add(new Conjunction(atoms, result));
        _paths.Add(new PathFacts { Exact = exact, Open = open.ToArray() });
    }

    /// <summary>
    /// Decides exactness once all paths are known. Dropping an open branch "field != v" from path P
    /// loses nothing when (a) an atom of P reads at least as far on the same base (so the dropped
    /// load's bounds check is implied) and (b) some path C with no open branches has every atom
    /// in P's atoms plus "field == v" (so P with field == v is inside C). libpcap's "src or dst
    /// port" paths are of this kind.
    /// </summary>
    private bool Exact()
    {
        for (int p = 0; p < _paths.Count; p++)
        {
            PathFacts facts = _paths[p];
            if (!facts.Exact) return false;
            Atom[] atoms = _found[p].Atoms;
            for (int i = 0; i < facts.Open.Length; i++)
            {
                Atom negative = facts.Open[i];
                if (!BoundsImplied(atoms, negative.Field)) return false;
                bool covered = false;
                for (int c = 0; c < _paths.Count && !covered; c++)
                {
                    if (c == p || !_paths[c].Exact || _paths[c].Open.Length != 0) continue;
                    covered = Within(_found[c].Atoms, atoms, negative);
                }
                if (!covered) return false;
            }
        }
        return true;
    }

    private static bool BoundsImplied(Atom[] atoms, FieldKey field)
    {
        for (int i = 0; i < atoms.Length; i++)
            if (atoms[i].Field.SameBase(field) && (ulong)atoms[i].Field.Offset + atoms[i].Field.Size >= (ulong)field.Offset + field.Size)
                return true;
        return false;
    }

    /// <summary>True if every atom of inner is one of outer's atoms or equals extra.</summary>
    private static bool Within(Atom[] inner, Atom[] outer, Atom extra)
    {
        for (int i = 0; i < inner.Length; i++)
        {
            bool found = inner[i].CompareTo(extra) == 0;
            for (int j = 0; j < outer.Length && !found; j++) found = inner[i].CompareTo(outer[j]) == 0;
            if (!found) return false;
        }
        return true;
    }

    /// <summary>Sorted, without duplicates; null when two atoms contradict (the path is impossible).</summary>
    private static Atom[] Canonical(GrowableArray<Atom> atoms)
    {
        var sorted = new GrowableArray<Atom>(atoms.Count + 1);
        for (int i = 0; i < atoms.Count; i++)
        {
            Atom atom = atoms[i];
            bool duplicate = false;
            for (int j = 0; j < sorted.Count; j++)
            {
                if (sorted[j].Contradicts(atom)) return null;
                if (sorted[j].CompareTo(atom) == 0) duplicate = true;
            }
            if (duplicate) continue;
            sorted.Add(atom);
            for (int j = sorted.Count - 1; j > 0 && sorted[j].CompareTo(sorted[j - 1]) < 0; j--)
            {
                Atom swap = sorted[j];
                sorted[j] = sorted[j - 1];
                sorted[j - 1] = swap;
            }
        }
        return sorted.ToArray();
    }
}
