// Names for code and type addresses, read from an ELF symbol table (the kernel's own image,
// handed over as a boot module, and each user program's). Used by panics and kill lines
// to name the C# method at a faulting RIP and the type of an unhandled exception.
// Lookups scan the table linearly: they only happen on the way to a panic or a kill.
using ExoSharp.Shared;

namespace ExoSharp.Kernel.Core;

internal unsafe struct Symbols
{
    private byte* _symbols;
    private ulong _count;
    private byte* _strings;
    private ulong _stringsLength;

    /// <summary>The kernel's own symbols; empty until its image module is found.</summary>
    public static Symbols Kernel;

    public static Symbols From(ElfImage image)
    {
        Symbols result = default;
        image.FindSymbolTable(out result._symbols, out result._count, out result._strings, out result._stringsLength);
        return result;
    }

    public bool IsEmpty => _count == 0;

    /// <summary>The symbol at or below address (within its size when it has one).</summary>
    public bool Lookup(ulong address, out byte* name, out ulong offset)
    {
        name = null;
        offset = 0;
        ulong best = 0;
        for (ulong i = 0; i < _count; i++)
        {
            byte* entry = _symbols + i * 24;
            uint nameOffset = *(uint*)entry;
            byte type = (byte)(entry[4] & 0xF);
            ushort section = *(ushort*)(entry + 6);
            ulong value = *(ulong*)(entry + 8), size = *(ulong*)(entry + 16);
            // Skip undefined and absolute symbols (assembler constants are not places).
            if (nameOffset == 0 || nameOffset >= _stringsLength || type > 2 || value == 0) continue;
            if (section == 0 || section >= 0xFF00) continue;
            if (value > address || value < best) continue;
            if (size != 0 && address - value >= size) continue;
            best = value;
            name = _strings + nameOffset;
        }
        if (name == null) return false;
        offset = address - best;
        return true;
    }

    /// <summary>Writes "0x... (Name+0x12)" or just the address when no symbol covers it.</summary>
    public static void WriteLocation(Symbols symbols, ulong address)
    {
        Console.WriteHex(address);
        if (!symbols.Lookup(address, out byte* name, out ulong offset)) return;
        Console.Write(" (");
        WriteName(name, symbols._strings + symbols._stringsLength);
        if (offset != 0)
        {
            Console.Write('+');
            Console.WriteHex(offset);
        }
        Console.Write(')');
    }

    /// <summary>Writes the name of the type whose MethodTable is at address, or false.</summary>
    public static bool WriteTypeName(Symbols symbols, ulong address)
    {
        if (!symbols.Lookup(address, out byte* name, out ulong offset) || offset != 0) return false;
        byte* end = symbols._strings + symbols._stringsLength;
        // MethodTables are named like C++ vtables: _ZTV<length><name>.
        if (name[0] == '_' && name[1] == 'Z' && name[2] == 'T' && name[3] == 'V')
        {
            name += 4;
            while (name < end && *name >= '0' && *name <= '9') name++;
        }
        WriteName(name, end);
        return true;
    }

    private static void WriteName(byte* name, byte* end)
    {
        for (int i = 0; name + i < end && name[i] != 0 && i < 200; i++) Console.Write((char)name[i]);
    }
}
