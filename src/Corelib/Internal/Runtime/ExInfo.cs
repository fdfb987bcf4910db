// One exception being dispatched: lives in the dispatcher's frame while a funclet runs; the
// funclet-calling helpers keep a pointer to it on the stack (exceptions.asm), so a throw
// from inside a funclet finds the frame that ran it (a collided unwind) without any global
// list, which keeps several user threads and nested upcalls safe.
namespace Internal.Runtime
{
    internal unsafe struct ExInfo
    {
        public object Exception;
        /// <summary>The frame whose handler is running, as dispatch found it.</summary>
        public RegisterContext Frame;
        /// <summary>The running handler's clause: it, every clause before it, and the run of
        /// clauses with the same try range after it are out of play for an exception leaving
        /// the handler.</summary>
        public int ClauseIndex;
        public uint TryStart, TryEnd;
    }
}
