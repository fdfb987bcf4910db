// Hand-made ELF64 files for the loader's tests: a header and program headers written field
// by field, so each test states exactly the malformation it tries.
using System.Buffers.Binary;

namespace ExoSharp.Tests.Linux
{
    internal sealed class ElfFiles
    {
        public record Header(uint Type, uint Flags, ulong Offset, ulong Address, ulong FileSize, ulong MemorySize, ulong Align = 0x1000);

        public static byte[] Make(ushort type, ulong entry, params Header[] headers)
        {
            int size = 64 + headers.Length * 56;
            ulong fileEnd = (ulong)size;
            foreach (Header h in headers) fileEnd = Math.Max(fileEnd, h.Offset + h.FileSize);
            var file = new byte[fileEnd];
            file[0] = 0x7F; file[1] = (byte)'E'; file[2] = (byte)'L'; file[3] = (byte)'F';
            file[4] = 2; file[5] = 1; file[6] = 1;
            BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(16), type);
            BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(18), 0x3E);
            BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(24), entry);
            BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(32), 64);
            BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(54), 56);
            BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(56), (ushort)headers.Length);
            for (int i = 0; i < headers.Length; i++)
            {
                Span<byte> p = file.AsSpan(64 + i * 56);
                Header h = headers[i];
                BinaryPrimitives.WriteUInt32LittleEndian(p, h.Type);
                BinaryPrimitives.WriteUInt32LittleEndian(p[4..], h.Flags);
                BinaryPrimitives.WriteUInt64LittleEndian(p[8..], h.Offset);
                BinaryPrimitives.WriteUInt64LittleEndian(p[16..], h.Address);
                BinaryPrimitives.WriteUInt64LittleEndian(p[32..], h.FileSize);
                BinaryPrimitives.WriteUInt64LittleEndian(p[40..], h.MemorySize);
                BinaryPrimitives.WriteUInt64LittleEndian(p[48..], h.Align);
            }
            return file;
        }
    }
}
