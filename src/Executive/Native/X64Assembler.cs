// A small x86-64 encoder: exactly the instruction forms the executive's compiler needs, written
// into a growing byte array, with labels for forward and backward rel32 jumps. Memory operands
// are [base + index + disp32] and always use a 32-bit displacement (simple, a little larger).
// The output is position independent: only relative jumps inside the buffer.
// Missing: 8-bit displacements and short jumps (size optimisation), SSE, anything not used.
using System;

namespace ExoSharp.Executive.Native;

public sealed class X64Assembler
{
    private byte[] _code;
    private int _length;
    private int[] _labels = new int[16];
    private int _labelCount;
    private int[] _fixupAt = new int[16];
    private int[] _fixupLabel = new int[16];
    private int _fixupCount, _fixupsDone;

    public X64Assembler(int capacity = 256) => _code = new byte[capacity < 16 ? 16 : capacity];

    public int Length => _length;

    /// <summary>A new label, not yet bound to a position.</summary>
    public int NewLabel()
    {
        if (_labelCount == _labels.Length) _labels = Grow(_labels);
        _labels[_labelCount] = -1;
        return _labelCount++;
    }

    /// <summary>count new labels, numbered from the one returned (one allocation, not count).</summary>
    public int NewLabels(int count)
    {
        int first = _labelCount;
        if (first + count > _labels.Length)
        {
            int[] bigger = new int[first + count];
            for (int i = 0; i < first; i++) bigger[i] = _labels[i];
            _labels = bigger;
        }
        for (int i = first; i < first + count; i++) _labels[i] = -1;
        _labelCount = first + count;
        return first;
    }

    public void Bind(int label) => _labels[label] = _length;

    /// <summary>Patches every jump; false if some jump's label was never bound.</summary>
    public bool Finish() => FinishSome(int.MaxValue) > 0;

    /// <summary>Patches at most limit more jumps (so a caller can spread the work): 1 when
    /// every jump is patched, 0 when some are left, -1 if a jump's label was never bound.</summary>
    public int FinishSome(int limit)
    {
        int end = _fixupCount - _fixupsDone > limit ? _fixupsDone + limit : _fixupCount;
        for (; _fixupsDone < end; _fixupsDone++)
        {
            int target = _labels[_fixupLabel[_fixupsDone]];
            if (target < 0) return -1;
            int at = _fixupAt[_fixupsDone];
            Patch32(at, (uint)(target - (at + 4)));
        }
        return _fixupsDone == _fixupCount ? 1 : 0;
    }

    /// <summary>The code emitted so far, in place (valid until more is emitted).</summary>
    public ReadOnlySpan<byte> Code => new ReadOnlySpan<byte>(_code).Slice(0, _length);

    /// <summary>The code emitted so far, copied.</summary>
    public byte[] ToArray()
    {
        byte[] result = new byte[_length];
        for (int i = 0; i < _length; i++) result[i] = _code[i];
        return result;
    }

    // ---- Raw bytes.

    public void Byte(int value)
    {
        if (_length == _code.Length)
        {
            byte[] bigger = new byte[_code.Length * 2];
            for (int i = 0; i < _length; i++) bigger[i] = _code[i];
            _code = bigger;
        }
        _code[_length++] = (byte)value;
    }

    public void Int32(uint value)
    {
        Byte((int)(value & 0xFF));
        Byte((int)((value >> 8) & 0xFF));
        Byte((int)((value >> 16) & 0xFF));
        Byte((int)(value >> 24));
    }

    private void Patch32(int at, uint value)
    {
        _code[at] = (byte)value;
        _code[at + 1] = (byte)(value >> 8);
        _code[at + 2] = (byte)(value >> 16);
        _code[at + 3] = (byte)(value >> 24);
    }

    /// <summary>A REX prefix if any of W, R, X, B is needed.</summary>
    private void Rex(bool wide, int reg, int index, int rm)
    {
        int rex = 0x40;
        if (wide) rex |= 8;
        if (reg >= 8) rex |= 4;
        if (index >= 8) rex |= 2;
        if (rm >= 8) rex |= 1;
        if (rex != 0x40) Byte(rex);
    }

    /// <summary>ModRM for a register operand in r/m.</summary>
    private void RegisterOperand(int reg, int rm) => Byte(0xC0 | ((reg & 7) << 3) | (rm & 7));

    /// <summary>ModRM (+SIB) + disp32 for [base + index + disp]. Index may be None, never Rsp.</summary>
    private void MemoryOperand(int reg, X64Register baseRegister, X64Register index, int displacement)
    {
        int b = (int)baseRegister;
        if (index == X64Register.None)
        {
            if ((b & 7) == 4)
            {
                Byte(0x80 | ((reg & 7) << 3) | 4);
                Byte(0x24);
            }
            else
            {
                Byte(0x80 | ((reg & 7) << 3) | (b & 7));
            }
        }
        else
        {
            Byte(0x80 | ((reg & 7) << 3) | 4);
            Byte((((int)index & 7) << 3) | (b & 7));
        }
        Int32((uint)displacement);
    }

    private static int Index(X64Register index) => index == X64Register.None ? 0 : (int)index;

    /// <summary>opcode bytes with a register-register ModRM: op r/m=rm, reg=reg.</summary>
    private void OpRegister(bool wide, int opcode, int reg, X64Register rm)
    {
        Rex(wide, reg, 0, (int)rm);
        if (opcode > 0xFF) Byte(opcode >> 8);
        Byte(opcode & 0xFF);
        RegisterOperand(reg, (int)rm);
    }

    private void OpMemory(bool wide, int opcode, int reg, X64Register baseRegister, X64Register index, int displacement)
    {
        Rex(wide, reg, Index(index), (int)baseRegister);
        if (opcode > 0xFF) Byte(opcode >> 8);
        Byte(opcode & 0xFF);
        MemoryOperand(reg, baseRegister, index, displacement);
    }

    // ---- Moves.

    /// <summary>mov r32, imm32 (zero-extends into the full register).</summary>
    public void MovImmediate(X64Register destination, uint value)
    {
        Rex(false, 0, 0, (int)destination);
        Byte(0xB8 + ((int)destination & 7));
        Int32(value);
    }

    /// <summary>mov r32, r32 (or r64 when wide).</summary>
    public void Mov(X64Register destination, X64Register source, bool wide = false) => OpRegister(wide, 0x89, (int)source, destination);

    /// <summary>mov r32 (r64 when wide), [base + index + disp].</summary>
    public void Load(X64Register destination, X64Register baseRegister, X64Register index, int displacement, bool wide = false) =>
        OpMemory(wide, 0x8B, (int)destination, baseRegister, index, displacement);

    /// <summary>movzx r32, byte [base + index + disp].</summary>
    public void LoadByte(X64Register destination, X64Register baseRegister, X64Register index, int displacement) =>
        OpMemory(false, 0x0FB6, (int)destination, baseRegister, index, displacement);

    /// <summary>movzx r32, word [base + index + disp].</summary>
    public void LoadWord(X64Register destination, X64Register baseRegister, X64Register index, int displacement) =>
        OpMemory(false, 0x0FB7, (int)destination, baseRegister, index, displacement);

    /// <summary>mov dword [base + index + disp], r32.</summary>
    public void Store(X64Register baseRegister, X64Register index, int displacement, X64Register source) =>
        OpMemory(false, 0x89, (int)source, baseRegister, index, displacement);

    /// <summary>mov dword [base + index + disp], imm32.</summary>
    public void StoreImmediate(X64Register baseRegister, X64Register index, int displacement, uint value)
    {
        OpMemory(false, 0xC7, 0, baseRegister, index, displacement);
        Int32(value);
    }

    /// <summary>lea r64, [base + index + disp].</summary>
    public void Lea(X64Register destination, X64Register baseRegister, X64Register index, int displacement) =>
        OpMemory(true, 0x8D, (int)destination, baseRegister, index, displacement);

    /// <summary>movzx r32, r16.</summary>
    public void ZeroExtendWord(X64Register destination, X64Register source) => OpRegister(false, 0x0FB7, (int)destination, source);

    // ---- Arithmetic. Group-1 digits: add 0, or 1, and 4, sub 5, xor 6, cmp 7.

    public const int Add = 0, Or = 1, And = 4, Sub = 5, Xor = 6, Cmp = 7;

    /// <summary>op r32 (r64 when wide), imm32 (sign-extended when wide).</summary>
    public void AluImmediate(int operation, X64Register destination, uint value, bool wide = false)
    {
        OpRegister(wide, 0x81, operation, destination);
        Int32(value);
    }

    /// <summary>op r32 (r64 when wide), r32: add/or/and/sub/xor/cmp destination with source.</summary>
    public void Alu(int operation, X64Register destination, X64Register source, bool wide = false) =>
        OpRegister(wide, (operation << 3) | 1, (int)source, destination);

    /// <summary>op dword [base + disp], imm32.</summary>
    public void AluMemoryImmediate(int operation, X64Register baseRegister, int displacement, uint value)
    {
        OpMemory(false, 0x81, operation, baseRegister, X64Register.None, displacement);
        Int32(value);
    }

    /// <summary>cmp r32, dword [base + disp].</summary>
    public void CompareMemory(X64Register left, X64Register baseRegister, int displacement) =>
        OpMemory(false, 0x3B, (int)left, baseRegister, X64Register.None, displacement);

    /// <summary>test r32, imm32.</summary>
    public void TestImmediate(X64Register register, uint value)
    {
        OpRegister(false, 0xF7, 0, register);
        Int32(value);
    }

    /// <summary>test r32 (r64 when wide), r32.</summary>
    public void Test(X64Register left, X64Register right, bool wide = false) => OpRegister(wide, 0x85, (int)right, left);

    /// <summary>imul r32, r32, imm32.</summary>
    public void MultiplyImmediate(X64Register destination, uint value)
    {
        OpRegister(false, 0x69, (int)destination, destination);
        Int32(value);
    }

    /// <summary>imul r32, r32 (the low 32 bits equal the unsigned product's).</summary>
    public void Multiply(X64Register destination, X64Register source) => OpRegister(false, 0x0FAF, (int)destination, source);

    /// <summary>div r32: edx:eax / divisor, quotient in eax, remainder in edx.</summary>
    public void Divide(X64Register divisor) => OpRegister(false, 0xF7, 6, divisor);

    public void Negate(X64Register register) => OpRegister(false, 0xF7, 3, register);

    /// <summary>shl (left) or shr r32 (r64 when wide), imm8.</summary>
    public void ShiftImmediate(bool left, X64Register register, int count, bool wide = false)
    {
        OpRegister(wide, 0xC1, left ? 4 : 5, register);
        Byte(count);
    }

    /// <summary>shl (left) or shr r32, cl.</summary>
    public void ShiftByCl(bool left, X64Register register) => OpRegister(false, 0xD3, left ? 4 : 5, register);

    /// <summary>rol r16, 8: swaps the low two bytes, leaves bits 16-31.</summary>
    public void SwapLowBytes(X64Register register)
    {
        Byte(0x66);
        OpRegister(false, 0xC1, 0, register);
        Byte(8);
    }

    public void ByteSwap(X64Register register)
    {
        Rex(false, 0, 0, (int)register);
        Byte(0x0F);
        Byte(0xC8 + ((int)register & 7));
    }

    /// <summary>cmovcc r32, r32.</summary>
    public void ConditionalMove(X64Condition condition, X64Register destination, X64Register source) =>
        OpRegister(false, 0x0F40 + (int)condition, (int)destination, source);

    // ---- Control.

    public void Jump(int label)
    {
        Byte(0xE9);
        Fixup(label);
    }

    public void JumpIf(X64Condition condition, int label)
    {
        Byte(0x0F);
        Byte(0x80 + (int)condition);
        Fixup(label);
    }

    public void Return() => Byte(0xC3);

    private void Fixup(int label)
    {
        if (_fixupCount == _fixupAt.Length)
        {
            _fixupAt = Grow(_fixupAt);
            _fixupLabel = Grow(_fixupLabel);
        }
        _fixupAt[_fixupCount] = _length;
        _fixupLabel[_fixupCount] = label;
        _fixupCount++;
        Int32(0);
    }

    private static int[] Grow(int[] items)
    {
        int[] bigger = new int[items.Length * 2];
        for (int i = 0; i < items.Length; i++) bigger[i] = items[i];
        return bigger;
    }
}
