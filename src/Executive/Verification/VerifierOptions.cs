// What a kind of program may do: its length limit, whether it may use the extension opcodes,
// how many context bytes it may load (statically checked), and whether it may emit records.
// PacketFilter is classic BPF as libpcap writes it; Udf and predicates pass their own values.
namespace ExoSharp.Executive.Verification;

public struct VerifierOptions
{
    /// <summary>Upper bound on instructions; at most Verifier.MaxLength.</summary>
    public int MaxLength;
    /// <summary>Allows the codes beyond classic BPF (context loads, buffer length, swap, emit).</summary>
    public bool AllowExtensions;
    /// <summary>Bytes of context the caller promises to supply; every context load must fit.</summary>
    public uint ContextLength;
    public bool AllowEmit;

    /// <summary>Classic BPF only, as libpcap produces it.</summary>
    public static VerifierOptions ClassicFilter => new VerifierOptions { MaxLength = Verifier.MaxLength };

    /// <summary>Classic BPF plus the buffer-length load and byte swap (the merged demultiplexer uses them).</summary>
    public static VerifierOptions PacketFilter => new VerifierOptions { MaxLength = Verifier.MaxLength, AllowExtensions = true };

    /// <summary>A program over a buffer and a context of contextLength bytes that may emit records (UDFs).</summary>
    public static VerifierOptions Extended(uint contextLength, bool allowEmit) =>
        new VerifierOptions { MaxLength = Verifier.MaxLength, AllowExtensions = true, ContextLength = contextLength, AllowEmit = allowEmit };
}
