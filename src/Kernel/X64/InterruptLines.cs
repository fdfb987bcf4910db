// Device interrupt handlers by PIC line (PCI INTx lines may be shared: every handler on a
// line runs). Traps.Handle calls Dispatch for every line but the timer's. Handlers run with
// interrupts off, on the trap stack, from user mode or from the idle loop; they must not
// allocate and must not switch environments.
namespace ExoSharp.Kernel.X64;

internal static unsafe class InterruptLines
{
    private const int Lines = 16, PerLine = 4;
    private static readonly delegate*<void>[] s_handlers = new delegate*<void>[Lines * PerLine];

    /// <summary>Boot time: adds a handler for line and unmasks it. False if the line is unusable.</summary>
    public static bool Register(int line, delegate*<void> handler)
    {
        if (line <= 0 || line >= Lines || line == 2) return false;
        for (int i = 0; i < PerLine; i++)
        {
            if (s_handlers[line * PerLine + i] != null) continue;
            s_handlers[line * PerLine + i] = handler;
            Pic.Unmask(line);
            return true;
        }
        return false;
    }

    public static void Dispatch(int line)
    {
        if (line <= 0 || line >= Lines) return;
        for (int i = 0; i < PerLine; i++)
        {
            delegate*<void> handler = s_handlers[line * PerLine + i];
            if (handler != null) handler();
        }
    }
}
