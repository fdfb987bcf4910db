// Two-pass exception dispatch over the compiler's tables, for the kernel and every user
// program. Pass 1 walks up from the thrower to the first typed catch that matches or filter
// that says yes (filters run here); pass 2 walks again running fault/finally funclets up to
// that frame (in it, only clauses before the catching one), then runs the catch funclet and
// resumes its frame (exceptions.asm). Nothing caught: the trace goes to ExceptionTrace and
// the exception to the platform's hook (kernel: panic; user program: killed).
// Hardware faults arrive as RhpThrowHwEx calls (the platform points the faulting frame there).
using System.Runtime.CompilerServices;
using Internal.Runtime;

namespace System.Runtime
{
    internal static unsafe class ExceptionHandling
    {
        private const int KindThrow = 0, KindRethrow = 1;
        /// <summary>Hardware codes the platform passes to RhpThrowHwEx.</summary>
        public const int HardwareNullReference = 2, HardwareDivideByZero = 3, HardwareOverflow = 4;
        private const int TraceFrames = ExceptionTrace.Capacity;

        [RuntimeImport("ExoSharpUnhandledException")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern void PlatformUnhandledException(object exception);

        [RuntimeImport("exo_call_catch")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern void CallCatch(object exception, ulong handler, RegisterContext* frame, ExInfo* info);

        [RuntimeImport("exo_call_finally")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern void CallFinally(ulong handler, RegisterContext* frame, ExInfo* info);

        [RuntimeImport("exo_call_filter")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern int CallFilter(object exception, ulong filter, RegisterContext* frame, ExInfo* info);

        [RuntimeImport("exo_resume_filter")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern void ResumeFilter(ulong rip, ulong rsp);

        [RuntimeImport("exo_eh_labels")]
        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern void Labels(ulong* labels);

        private static bool s_ready;

        [RuntimeExport("ExoSharpDispatchException")]
        public static void Dispatch(object exception, RegisterContext* thrower, int kind)
        {
            if (!s_ready)
            {
                ulong* labels = stackalloc ulong[3];
                Labels(labels);
                FrameIterator.CatchReturn = labels[0];
                FrameIterator.FinallyReturn = labels[1];
                FrameIterator.FilterReturn = labels[2];
                s_ready = true;
            }
            FrameIterator it = default;
            if (kind == KindRethrow)
            {
                // `throw;` is only legal in a catch funclet: the first catch left is its dispatch.
                it.Init(thrower);
                while (it.Valid && it.LeftCatch == null) it.Next();
                exception = it.LeftCatch != null ? it.LeftCatch->Exception : new InvalidOperationException("rethrow outside a catch");
            }
            else if (kind == HardwareNullReference) exception = new NullReferenceException();
            else if (kind == HardwareDivideByZero) exception = new DivideByZeroException();
            else if (kind == HardwareOverflow) exception = new OverflowException();
            else if (exception == null) exception = new NullReferenceException();

            ExInfo info = default;
            info.Exception = exception;
            MethodTable* type = exception.m_pEEType;

            // Pass 1: find the handler.
            ulong* trace = stackalloc ulong[TraceFrames];
            int traced = 0, frame = 0, handlerFrame = -1, handlerClause = -1;
            for (it.Init(thrower); it.Valid && handlerFrame < 0; it.Next(), frame++)
            {
                if (traced < TraceFrames) trace[traced++] = it.Context.Rip;
                if (it.AtFilterBoundary)
                {
                    handlerFrame = frame;
                    break;
                }
                it.ResetClauses();
                while (it.NextClause(out EHClause clause, out int index))
                {
                    bool match = false;
                    if (clause.Kind == EHClause.KindTyped) match = TypeCast.AreTypesAssignable(type, clause.Type);
                    else if (clause.Kind == EHClause.KindFilter)
                    {
                        Remember(ref info, ref it, index, ref clause);
                        match = CallFilter(exception, clause.Filter, &it.Context, &info) != 0;
                    }
                    if (match)
                    {
                        handlerFrame = frame;
                        handlerClause = index;
                        break;
                    }
                }
                if (handlerFrame >= 0) break;
            }
            if (handlerFrame < 0)
            {
                ExceptionTrace.Set(trace, traced);
                PlatformUnhandledException(exception);
                while (true) { }
            }

            // Pass 2: run fault/finally funclets up to the handler, then the handler.
            frame = 0;
            for (it.Init(thrower); it.Valid; it.Next(), frame++)
            {
                if (frame == handlerFrame && it.AtFilterBoundary) ResumeFilter(it.Context.Rip, it.Context.Rsp);
                it.ResetClauses();
                while (it.NextClause(out EHClause clause, out int index))
                {
                    if (frame == handlerFrame && index == handlerClause)
                    {
                        Remember(ref info, ref it, index, ref clause);
                        CallCatch(exception, clause.Handler, &info.Frame, &info);
                    }
                    if (clause.Kind == EHClause.KindFault)
                    {
                        Remember(ref info, ref it, index, ref clause);
                        CallFinally(clause.Handler, &it.Context, &info);
                    }
                }
            }
            // The walk changed under us (it cannot): treat as unhandled.
            PlatformUnhandledException(exception);
            while (true) { }
        }

        private static void Remember(ref ExInfo info, ref FrameIterator it, int index, ref EHClause clause)
        {
            info.Frame = it.Context;
            info.ClauseIndex = index;
            info.TryStart = clause.TryStart;
            info.TryEnd = clause.TryEnd;
        }
    }
}
