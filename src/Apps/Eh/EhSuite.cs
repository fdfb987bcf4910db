// The `eh` program: the exception-handling suite. Each case runs C# EH in ring 3 (typed
// catch, filters, finally/fault, rethrow, nested try in catch and finally, exceptions from
// funclets, many frames, `using`, hardware faults as exceptions) and prints one line,
// "eh: NN name: <what was caught, in what order, and the value>", that
// tests/Boot/eh.test checks exactly. `eh <n>` runs case n only.
using System;
using System.Runtime.CompilerServices;

namespace ExoSharp.Apps.Eh
{
    internal static unsafe class EhSuite
    {
        private static string s_log = "";
        private static int s_counter;
        private static int s_zero;
        private static object s_null;
        private static object[] s_objects = new object[] { "text" };
        private static int[] s_array = new int[4];

        public static void Log(string text) => s_log = s_log.Length == 0 ? text : s_log + ", " + text;

        private struct Case
        {
            public string Name;
            public delegate*<void> Body;
        }

        private static Case[] Cases => new Case[]
        {
            new Case { Name = "typed-catch", Body = &TypedCatch },
            new Case { Name = "base-type-catch", Body = &BaseTypeCatch },
            new Case { Name = "first-matching-catch", Body = &FirstMatchingCatch },
            new Case { Name = "finally-normal", Body = &FinallyNormal },
            new Case { Name = "finally-on-throw", Body = &FinallyOnThrow },
            new Case { Name = "finally-early-return", Body = &FinallyEarlyReturn },
            new Case { Name = "nested-finally-order", Body = &NestedFinallyOrder },
            new Case { Name = "rethrow-same-object", Body = &RethrowSameObject },
            new Case { Name = "throw-new-in-catch", Body = &ThrowNewInCatch },
            new Case { Name = "filter-true", Body = &FilterTrue },
            new Case { Name = "filter-false-next", Body = &FilterFalseNext },
            new Case { Name = "filter-before-finally", Body = &FilterBeforeFinally },
            new Case { Name = "filter-throws-is-false", Body = &FilterThrows },
            new Case { Name = "try-in-catch", Body = &TryInCatch },
            new Case { Name = "try-in-finally", Body = &TryInFinally },
            new Case { Name = "throw-from-finally", Body = &ThrowFromFinally },
            new Case { Name = "ten-frames", Body = &TenFrames },
            new Case { Name = "hundred-frames", Body = &HundredFrames },
            new Case { Name = "finally-per-frame", Body = &FinallyPerFrame },
            new Case { Name = "using-on-throw", Body = &UsingOnThrow },
            new Case { Name = "using-normal", Body = &UsingNormal },
            new Case { Name = "null-dereference", Body = &NullDereference },
            new Case { Name = "divide-by-zero", Body = &DivideByZero },
            new Case { Name = "index-out-of-range", Body = &IndexOutOfRange },
            new Case { Name = "invalid-cast", Body = &InvalidCast },
            new Case { Name = "checked-overflow", Body = &CheckedOverflow },
            new Case { Name = "throw-null", Body = &ThrowNull },
            new Case { Name = "message-and-inner", Body = &MessageAndInner },
            new Case { Name = "thousand-throws", Body = &ThousandThrows },
            new Case { Name = "virtual-and-interface", Body = &VirtualAndInterface },
            new Case { Name = "filter-reads-local", Body = &FilterReadsLocal },
            new Case { Name = "catch-finally-catch", Body = &CatchFinallyCatch },
            new Case { Name = "rethrow-nested-catch", Body = &RethrowNestedCatch },
            new Case { Name = "when-type-test", Body = &WhenTypeTest },
            new Case { Name = "generic-thrower", Body = &GenericThrower },
            new Case { Name = "registers-survive", Body = &RegistersSurvive },
            new Case { Name = "fault-under-finally", Body = &FaultUnderFinally },
            new Case { Name = "deep-divide-by-zero", Body = &DeepDivideByZero },
            new Case { Name = "value-from-catch", Body = &ValueFromCatch },
            new Case { Name = "finally-on-break", Body = &FinallyOnBreak },
            new Case { Name = "second-throw-after-catch", Body = &SecondThrow },
            new Case { Name = "rethrow-three-levels", Body = &RethrowThreeLevels },
            new Case { Name = "catch-in-finally-of-catch", Body = &CatchInFinallyOfCatch },
            new Case { Name = "uncaught-type-passes", Body = &UncaughtTypePasses },
            new Case { Name = "null-field-store", Body = &NullFieldStore },
            new Case { Name = "null-virtual-call", Body = &NullVirtualCall },
            new Case { Name = "exception-in-filter-frames", Body = &ExceptionInFilterFrames },
            new Case { Name = "finally-runs-once", Body = &FinallyRunsOnce },
            new Case { Name = "null-reference-store", Body = &NullReferenceStore },
            new Case { Name = "null-interface-call", Body = &NullInterfaceCall },
            new Case { Name = "fault-in-finally", Body = &FaultInFinally },
            new Case { Name = "fault-in-catch", Body = &FaultInCatch },
        };

        public static int Main(string arguments)
        {
            Case[] cases = Cases;
            int only = arguments.Length > 0 ? (int)Arguments.Number(arguments) : 0;
            int run = 0;
            for (int i = 0; i < cases.Length; i++)
            {
                if (only != 0 && only != i + 1) continue;
                s_log = "";
                s_counter = 0;
                cases[i].Body();
                Console.WriteLine("eh: " + (i + 1 < 10 ? "0" : "") + (i + 1).ToString() + " " + cases[i].Name + ": " + s_log);
                run++;
            }
            Console.WriteLine("eh: " + run.ToString() + " cases run");
            return 0;
        }

        private static string Name(Exception e)
        {
            if (e is EhTestException t) return "EhTestException(" + t.Value.ToString() + ")";
            if (e is NullReferenceException) return "NullReferenceException";
            if (e is DivideByZeroException) return "DivideByZeroException";
            if (e is IndexOutOfRangeException) return "IndexOutOfRangeException";
            if (e is InvalidCastException) return "InvalidCastException";
            if (e is OverflowException) return "OverflowException";
            if (e is ArgumentException) return "ArgumentException";
            if (e is InvalidOperationException) return "InvalidOperationException";
            if (e is NotSupportedException) return "NotSupportedException";
            return "Exception";
        }

        private static void Caught(Exception e) => Log("caught " + Name(e));

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Throw(int value) => throw new EhTestException(value);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int Deep(int depth, int value)
        {
            if (depth == 0) Throw(value);
            return Deep(depth - 1, value) + 1;
        }

        private static void TypedCatch()
        {
            try { Throw(1); Log("not reached"); }
            catch (EhTestException e) { Caught(e); }
        }

        private static void BaseTypeCatch()
        {
            try { throw new InvalidOperationException("base"); }
            catch (Exception e) { Caught(e); Log(e.Message); }
        }

        private static void FirstMatchingCatch()
        {
            try { Throw(3); }
            catch (InvalidOperationException) { Log("wrong catch"); }
            catch (EhTestException e) { Log("second catch"); Caught(e); }
            catch (Exception) { Log("third catch"); }
        }

        private static void FinallyNormal()
        {
            try { Log("body"); }
            finally { Log("finally"); }
        }

        private static void FinallyOnThrow()
        {
            try
            {
                try { Throw(5); }
                finally { Log("finally"); }
            }
            catch (EhTestException e) { Caught(e); }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int EarlyReturn(int x)
        {
            try
            {
                if (x > 0) return x * 2;
                Log("not reached");
            }
            finally { Log("finally"); }
            return -1;
        }

        private static void FinallyEarlyReturn() => Log("returned " + EarlyReturn(21).ToString());

        private static void NestedFinallyOrder()
        {
            try
            {
                try
                {
                    try { Throw(7); }
                    finally { Log("inner"); }
                }
                finally { Log("middle"); }
            }
            catch (EhTestException e) { Caught(e); }
            finally { Log("outer"); }
        }

        private static void RethrowSameObject()
        {
            EhTestException first = null;
            try
            {
                try { Throw(8); }
                catch (EhTestException e) { first = e; Log("inner"); throw; }
            }
            catch (EhTestException e) { Caught(e); Log((object)e == (object)first ? "same object" : "different object"); }
        }

        private static void ThrowNewInCatch()
        {
            try
            {
                try { Throw(9); }
                catch (EhTestException e) { Caught(e); throw new InvalidOperationException("from catch"); }
            }
            catch (InvalidOperationException e) { Caught(e); Log(e.Message); }
        }

        private static void FilterTrue()
        {
            try { Throw(10); }
            catch (EhTestException e) when (e.Value == 10) { Log("filter passed"); Caught(e); }
        }

        private static void FilterFalseNext()
        {
            try { Throw(11); }
            catch (EhTestException e) when (e.Value == 0) { Log("wrong"); }
            catch (EhTestException e) { Log("next clause"); Caught(e); }
        }

        private static bool Note(string text, bool result)
        {
            Log(text);
            return result;
        }

        private static void FilterBeforeFinally()
        {
            try
            {
                try { Throw(12); }
                finally { Log("finally"); }
            }
            catch (EhTestException e) when (Note("filter", true)) { Caught(e); }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static bool BadFilter(Exception e)
        {
            Log("filter throws");
            throw new InvalidOperationException("in filter");
        }

        private static void FilterThrows()
        {
            try
            {
                try { Throw(13); }
                catch (EhTestException e) when (BadFilter(e)) { Log("wrong"); }
            }
            catch (InvalidOperationException) { Log("wrong: filter exception escaped"); }
            catch (EhTestException e) { Log("outer"); Caught(e); }
        }

        private static void TryInCatch()
        {
            try { Throw(14); }
            catch (EhTestException e)
            {
                Caught(e);
                try { Throw(140); }
                catch (EhTestException inner) { Caught(inner); }
                Log("outer value " + e.Value.ToString());
            }
        }

        private static void TryInFinally()
        {
            try
            {
                try { Throw(15); }
                finally
                {
                    try { Throw(150); }
                    catch (EhTestException inner) { Log("in finally"); Caught(inner); }
                }
            }
            catch (EhTestException e) { Caught(e); }
        }

        private static void ThrowFromFinally()
        {
            try
            {
                try { Throw(16); }
                finally { Log("finally"); throw new InvalidOperationException("replaces"); }
            }
            catch (EhTestException) { Log("wrong: old exception"); }
            catch (InvalidOperationException e) { Caught(e); }
        }

        private static void TenFrames()
        {
            try { Deep(10, 17); }
            catch (EhTestException e) { Caught(e); }
        }

        private static void HundredFrames()
        {
            try { Deep(100, 18); }
            catch (EhTestException e) { Caught(e); }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void DeepFinally(int depth)
        {
            try
            {
                if (depth == 0) Throw(19);
                DeepFinally(depth - 1);
            }
            finally { s_counter++; }
        }

        private static void FinallyPerFrame()
        {
            try { DeepFinally(9); }
            catch (EhTestException e) { Caught(e); Log("finallys " + s_counter.ToString()); }
        }

        private static void UsingOnThrow()
        {
            try
            {
                using (new EhResource("a"))
                using (new EhResource("b"))
                    Throw(20);
            }
            catch (EhTestException e) { Caught(e); }
        }

        private static void UsingNormal()
        {
            using (EhResource r = new EhResource("c")) Log("body");
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int ReadThrough(int[] array) => array[0];

        private static void NullDereference()
        {
            try { Log("read " + ReadThrough(null).ToString()); }
            catch (NullReferenceException e) { Caught(e); }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int Divide(int a, int b) => a / b;

        private static void DivideByZero()
        {
            try { Log("quotient " + Divide(7, s_zero).ToString()); }
            catch (DivideByZeroException e) { Caught(e); }
        }

        private static void IndexOutOfRange()
        {
            try { Log("element " + s_array[s_array.Length + s_counter].ToString()); }
            catch (IndexOutOfRangeException e) { Caught(e); }
        }

        private static void InvalidCast()
        {
            object o = s_objects[s_counter];
            try { Log("cast " + ((EhThrower)o).Run(25).ToString()); }
            catch (InvalidCastException e) { Caught(e); }
            catch (EhTestException) { Log("wrong: the cast passed"); }
        }

        private static void CheckedOverflow()
        {
            int big = int.MaxValue - s_zero;
            try { Log("sum " + checked(big + 1).ToString()); }
            catch (OverflowException e) { Caught(e); }
        }

        private static void ThrowNull()
        {
            try { throw null; }
            catch (NullReferenceException e) { Caught(e); }
        }

        private static void MessageAndInner()
        {
            try { throw new InvalidOperationException("outer message", new EhTestException(28)); }
            catch (InvalidOperationException e) { Log(e.Message); Log("inner " + Name(e.InnerException)); }
        }

        private static void ThousandThrows()
        {
            int caught = 0;
            for (int i = 0; i < 1000; i++)
            {
                try { Deep(3, i); }
                catch (EhTestException e) { if (e.Value == i) caught++; }
            }
            Log("caught " + caught.ToString());
        }

        private static void VirtualAndInterface()
        {
            IEhThrower thrower = new EhThrower();
            try { thrower.Run(30); }
            catch (EhTestException e) { Caught(e); }
            try { new EhThrower().Run(31); }
            catch (EhTestException e) { Caught(e); }
        }

        private static void FilterReadsLocal()
        {
            int wanted = 32 + s_zero;
            try { Throw(32); }
            catch (EhTestException e) when (e.Value == wanted) { Log("local " + wanted.ToString()); Caught(e); }
        }

        private static void CatchFinallyCatch()
        {
            try { Throw(33); }
            catch (EhTestException e)
            {
                try
                {
                    try { Throw(330); }
                    finally { Log("finally in catch"); }
                }
                catch (EhTestException inner) { Caught(inner); }
                Caught(e);
            }
        }

        private static void RethrowNestedCatch()
        {
            try
            {
                try { Throw(34); }
                catch (EhTestException)
                {
                    try { throw new InvalidOperationException("nested"); }
                    catch (InvalidOperationException) { Log("nested catch rethrows"); throw; }
                }
            }
            catch (InvalidOperationException e) { Caught(e); Log(e.Message); }
        }

        private static void WhenTypeTest()
        {
            try { throw new ArgumentException("arg"); }
            catch (Exception e) when (e is InvalidOperationException) { Log("wrong"); }
            catch (Exception e) when (e is ArgumentException) { Caught(e); }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static T GenericThrow<T>(T value) where T : class => throw new EhTestException(35);

        private static void GenericThrower()
        {
            try { GenericThrow("x"); }
            catch (EhTestException e) { Caught(e); }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static long Work(long a, long b, long c, long d, long e)
        {
            // Many live values across the call keep callee-saved registers busy in the callee.
            long x = a * 3 + b, y = b * 5 + c, z = c * 7 + d, w = d * 11 + e, v = e * 13 + a;
            if (s_zero == 0) Deep(4, 36);
            return x + y + z + w + v;
        }

        private static void RegistersSurvive()
        {
            long a = 1 + s_zero, b = 2 + s_zero, c = 3 + s_zero, d = 4 + s_zero, e = 5 + s_zero, f = 6 + s_zero;
            long sum = 0;
            for (int i = 0; i < 3; i++)
            {
                try { sum += Work(a, b, c, d, e); }
                catch (EhTestException ex) { sum += ex.Value; }
                a += f; b += a; c += b; d += c; e += d;
            }
            Log("sum " + sum.ToString() + " a " + a.ToString() + " e " + e.ToString());
        }

        private static void FaultUnderFinally()
        {
            try
            {
                try { Log("read " + ReadThrough(null).ToString()); }
                finally { Log("finally"); }
            }
            catch (NullReferenceException e) { Caught(e); }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int DivideDeep(int depth) => depth == 0 ? Divide(1, s_zero) : DivideDeep(depth - 1) + 1;

        private static void DeepDivideByZero()
        {
            try { DivideDeep(5); }
            catch (DivideByZeroException e) { Caught(e); }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int Recover(int value)
        {
            try { Throw(value); return 0; }
            catch (EhTestException e) { return e.Value * 2; }
        }

        private static void ValueFromCatch() => Log("returned " + Recover(39).ToString());

        private static void FinallyOnBreak()
        {
            int i;
            for (i = 0; i < 10; i++)
            {
                try
                {
                    if (i == 2) break;
                    if (i == 1) continue;
                }
                finally { s_counter++; }
            }
            Log("finallys " + s_counter.ToString() + " at " + i.ToString());
        }

        private static void SecondThrow()
        {
            try { Throw(41); }
            catch (EhTestException e) { Caught(e); }
            try { Throw(42); }
            catch (EhTestException e) { Caught(e); }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void RethrowAt(int level)
        {
            try
            {
                if (level == 0) Throw(43);
                else RethrowAt(level - 1);
            }
            catch (EhTestException) { s_counter++; throw; }
        }

        private static void RethrowThreeLevels()
        {
            try { RethrowAt(2); }
            catch (EhTestException e) { Caught(e); Log("rethrows " + s_counter.ToString()); }
        }

        private static void CatchInFinallyOfCatch()
        {
            try
            {
                try { Throw(44); }
                catch (EhTestException e)
                {
                    try { Log("catch " + e.Value.ToString()); }
                    finally
                    {
                        try { Throw(440); }
                        catch (EhTestException inner) { Log("finally caught " + inner.Value.ToString()); }
                    }
                    throw new InvalidOperationException("after");
                }
            }
            catch (InvalidOperationException e) { Caught(e); }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void CatchesOnlyArgument()
        {
            try { Throw(45); }
            catch (ArgumentException) { Log("wrong"); }
            finally { Log("finally below"); }
        }

        private static void UncaughtTypePasses()
        {
            try { CatchesOnlyArgument(); }
            catch (EhTestException e) { Caught(e); }
        }

        private sealed class Holder { public int Field; }
        private static Holder s_holder;

        private static void NullFieldStore()
        {
            try { s_holder.Field = 46; Log("stored"); }
            catch (NullReferenceException e) { Caught(e); }
        }

        private static void NullVirtualCall()
        {
            EhThrower thrower = (EhThrower)s_null;
            try { thrower.Run(47); }
            catch (NullReferenceException e) { Caught(e); }
            catch (EhTestException) { Log("wrong: called on null"); }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static bool DeepFilter(Exception e)
        {
            try { Deep(3, 480); }
            catch (EhTestException inner) { Log("filter caught " + inner.Value.ToString()); }
            return e is EhTestException t && t.Value == 48;
        }

        private static void ExceptionInFilterFrames()
        {
            try { Throw(48); }
            catch (EhTestException e) when (DeepFilter(e)) { Caught(e); }
        }

        private sealed class RefHolder { public object Field; }
        private static RefHolder s_refHolder;

        private static void NullReferenceStore()
        {
            // A reference store goes through the write barrier, which faults on the null target.
            try { s_refHolder.Field = s_objects; Log("stored"); }
            catch (NullReferenceException e) { Caught(e); }
        }

        private static void NullInterfaceCall()
        {
            IEhThrower thrower = (IEhThrower)s_null;
            try { thrower.Run(51); }
            catch (NullReferenceException e) { Caught(e); }
            catch (EhTestException) { Log("wrong: called on null"); }
        }

        private static void FaultInFinally()
        {
            // A hardware fault inside a finally funclet replaces the exception being dispatched.
            try
            {
                try { Throw(52); }
                finally { Log("finally reads " + ReadThrough(null).ToString()); }
            }
            catch (EhTestException) { Log("wrong: old exception"); }
            catch (NullReferenceException e) { Caught(e); }
        }

        private static void FaultInCatch()
        {
            try
            {
                try { Throw(53); }
                catch (EhTestException e) { Caught(e); Log("quotient " + Divide(e.Value, s_zero).ToString()); }
            }
            catch (DivideByZeroException e) { Caught(e); }
        }

        private static void FinallyRunsOnce()
        {
            try
            {
                try
                {
                    try { Throw(49); }
                    finally { s_counter++; }
                }
                catch (EhTestException) { throw; }
            }
            catch (EhTestException e) { Caught(e); Log("finallys " + s_counter.ToString()); }
        }
    }
}
