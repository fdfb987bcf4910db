// The `corelib` program: checks the runtime and corelib from ring 3, one line per check
// ("corelib: <check> ok" or "FAILED"), then "corelib: all checks passed" and status 0, else 1.
// Values pass through Hide (never inlined) so the compiler cannot fold a check away.
// Missing: out-of-range accesses and failed casts throw, and there is no catch yet to observe them.
using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Internal.Runtime;

namespace ExoSharp.Apps.CorelibTests
{
    internal static unsafe class CorelibTest
    {
        private static int s_failures;

        public static int Main(string arguments)
        {
            Check("objects and fields", ObjectsAndFields());
            Check("strings", Strings());
            Check("integer formatting", IntegerFormatting());
            Check("arrays", Arrays());
            Check("spans", Spans());
            Check("generics", Generics());
            Check("static constructors", StaticConstructors());
            Check("casts", Casts());
            Check("boxing", Boxing());
            Check("virtual calls", VirtualCalls());
            Check("interface calls", InterfaceCalls());
            Check("default interface methods", DefaultInterfaceMethods());
            Check("generic interfaces", GenericInterfaces());
            Check("generic variance", GenericVariance());
            Check("heap reuse", HeapReuse());
            if (s_failures != 0) return 1;
            Console.WriteLine("corelib: all checks passed");
            return 0;
        }

        private static void Check(string name, bool ok)
        {
            Console.WriteLine("corelib: " + name + (ok ? " ok" : " FAILED"));
            if (!ok) s_failures++;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static T Hide<T>(T value) => value;

        private static bool ObjectsAndFields()
        {
            Record first = new Record();
            bool ok = first.Small == 0 && first.Number == 0 && first.Big == 0 && first.Real == 0.0 &&
                first.Text == null && first.Next == null && first.Where.X == 0 && first.Where.Y == 0;
            first.Small = 200;
            first.Number = -5;
            first.Big = 0x123456789AL;
            first.Real = 2.5;
            first.Text = Hide("first");
            first.Where = new Point(3, 4);
            Record second = Hide(new Record { Number = 7, Next = first, Text = "second" });
            ok &= second.Next == first && second.Next.Next == null && (object)second != first;
            ok &= second.Next.Small == 200 && second.Next.Number == -5 && second.Next.Big == 0x123456789AL;
            ok &= second.Next.Real == 2.5 && second.Next.Text == "first" && second.Next.Where.Y == 4;
            ok &= second.Number == 7 && second.Text == "second";
            return ok;
        }

        private static bool Strings()
        {
            string hello = Hide("hello");
            string world = Hide("world");
            string joined = hello + ", " + world;
            bool ok = joined == "hello, world" && joined.Length == 12;
            ok &= joined != "hello, worle" && joined != "hello" && !(joined == null);
            ok &= joined.Equals((object)"hello, world") && !joined.Equals((object)5);
            ok &= (object)joined != "hello, world";
            ok &= joined.Substring(7) == "world" && joined.Substring(0, 5) == hello && joined.Substring(12) == "";
            ok &= joined.IndexOf(',') == 5 && joined.IndexOf('o') == 4 && joined.IndexOf('z') == -1;
            ok &= joined[4] == 'o' && string.IsNullOrEmpty(Hide("")) && !string.IsNullOrEmpty(joined);
            ok &= string.Concat(hello, world) == "helloworld" && new string('x', 3) == "xxx";
            return ok;
        }

        private static bool IntegerFormatting()
        {
            bool ok = Hide(0).ToString() == "0" && Hide(12345).ToString() == "12345";
            ok &= Hide(-12345).ToString() == "-12345" && Hide(-1).ToString() == "-1";
            ok &= Hide(int.MinValue).ToString() == "-2147483648" && Hide(int.MaxValue).ToString() == "2147483647";
            ok &= Hide(255).ToString("x8") == "000000ff" && Hide(-1).ToString("x8") == "ffffffff";
            ok &= Hide(0x1234abcd).ToString("x8") == "1234abcd" && Hide(0x1234abcd).ToString("X") == "1234ABCD";
            ok &= Hide(-9000000000L).ToString() == "-9000000000";
            return ok;
        }

        private static bool Arrays()
        {
            int[] numbers = new int[Hide(5)];
            bool ok = numbers.Length == 5;
            for (int i = 0; i < numbers.Length; i++) ok &= numbers[i] == 0;
            for (int i = 0; i < numbers.Length; i++) numbers[i] = i * i;
            int sum = 0;
            foreach (int n in numbers) sum += n;
            ok &= sum == 30 && numbers[numbers.Length - 1] == 16;
            ok &= new int[Hide(0)].Length == 0;

            object[] things = new object[] { Hide("text"), 7, null, new Point(1, 2) };
            ok &= things.Length == 4 && (string)things[0] == "text" && (int)things[1] == 7 && things[2] == null;
            ok &= ((Point)things[3]).Y == 2;

            string[] words = new string[3];
            words[0] = "a";
            words[2] = Hide("c");
            ok &= words[0] == "a" && words[1] == null && words[2] == "c" && words.Length == 3;

            // Bounds: the loop limits come from Length; the last valid index is usable and an
            // index check on both sides of it behaves (an out-of-range access would throw).
            long[] longs = new long[Hide(3)];
            longs[longs.Length - 1] = long.MaxValue;
            ok &= longs[2] == long.MaxValue && longs[0] == 0 && (uint)Hide(3) >= (uint)longs.Length;
            return ok;
        }

        private static bool Spans()
        {
            int[] backing = new int[8];
            Span<int> span = backing;
            span.Fill(3);
            Span<int> middle = span.Slice(2, 3);
            middle.Fill(9);
            middle[0] = 5;
            span.Slice(7)[0] = 1;
            bool ok = span.Length == 8 && middle.Length == 3 && span.Slice(7).Length == 1;
            ok &= backing[0] == 3 && backing[1] == 3 && backing[2] == 5 && backing[3] == 9 && backing[4] == 9;
            ok &= backing[5] == 3 && backing[6] == 3 && backing[7] == 1;

            ReadOnlySpan<char> text = Hide("hello world");
            ReadOnlySpan<char> tail = text.Slice(6);
            ok &= tail.Length == 5 && tail[0] == 'w' && tail[4] == 'd' && text.Slice(0, 5)[4] == 'o';
            ok &= new string(tail) == "world";

            Span<byte> bytes = stackalloc byte[16];
            bytes.Fill(0xAB);
            ReadOnlySpan<byte> readOnly = bytes;
            ok &= readOnly[15] == 0xAB && readOnly.Slice(8, 8).Length == 8;
            return ok;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static T[] Repeat<T>(T item, int count)
        {
            T[] items = new T[count];
            for (int i = 0; i < count; i++) items[i] = item;
            return items;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Swap<T>(ref T a, ref T b)
        {
            T t = a;
            a = b;
            b = t;
        }

        private static bool Generics()
        {
            Stack<int> numbers = new Stack<int>();
            for (int i = 0; i < 10; i++) numbers.Push(i * 3);
            bool ok = numbers.Count == 10 && numbers.Pop() == 27 && numbers.Pop() == 24 && numbers.Count == 8;

            Stack<string> words = new Stack<string>();
            words.Push("one");
            words.Push(Hide("two"));
            words.Push("three");
            ok &= words.Pop() == "three" && words.Pop() == "two" && words.Count == 1;

            Stack<Point> points = new Stack<Point>();
            points.Push(new Point(5, 6));
            ok &= points.Pop().Y == 6;

            int[] sevens = Repeat(7, 4);
            string[] hellos = Repeat("hi", 3);
            ok &= sevens.Length == 4 && sevens[3] == 7 && hellos.Length == 3 && hellos[2] == "hi";
            int x = 1, y = 2;
            Swap(ref x, ref y);
            string s = "s", t = "t";
            Swap(ref s, ref t);
            ok &= x == 2 && y == 1 && s == "t" && t == "s";
            return ok;
        }

        private static bool StaticConstructors()
        {
            bool ok = ConstructorLog.Runs == 0;
            int first = Configured.Value;
            ok &= ConstructorLog.Runs == 1;
            int second = Configured.Value;
            Configured.Value = 5;
            ok &= first == 1042 && second == 1042 && Configured.Value == 5 && ConstructorLog.Runs == 1;
            return ok;
        }

        private static bool Casts()
        {
            object puppy = Hide<object>(new Puppy());
            bool ok = puppy is Animal && puppy is Dog && puppy is Puppy && !(puppy is Record) && !(puppy is string);
            ok &= puppy as Record == null && puppy as Dog != null && puppy as IShape == null;
            Animal animal = (Animal)puppy;
            Dog dog = (Dog)animal;
            ok &= animal == puppy && dog == puppy;

            object square = Hide<object>(new Square());
            ok &= square is IShape && !(square is IThing<int>) && (square as IShape) != null;
            IShape shape = (IShape)square;
            ok &= shape.Sides() == 4;

            object[] covariant = Hide(new string[1]);
            covariant[0] = "stored";
            ok &= covariant is string[] && covariant is object[] && ((string[])covariant)[0] == "stored";
            object ints = Hide<object>(new int[2]);
            ok &= !(ints is object[]) && ints is int[] && ints is Array && !(ints is string[]);
            ok &= Hide<object>(null) is not Animal && (Hide<object>(null) as Animal) == null && (Animal)Hide<object>(null) == null;
            return ok;
        }

        private static bool Boxing()
        {
            object boxed = Hide<object>(42);
            bool ok = boxed is int && !(boxed is long) && (int)boxed == 42;

            Point point = new Point(1, 2);
            object boxedPoint = Hide<object>(point);
            point.X = 100;
            Point unboxed = (Point)boxedPoint;
            ok &= unboxed.X == 1 && unboxed.Y == 2 && boxedPoint is Point && boxedPoint.ToString() == "(1,2)";

            int? some = Hide<int?>(5);
            int? none = Hide<int?>(null);
            object boxedSome = some;
            object boxedNone = none;
            ok &= boxedSome is int && (int)boxedSome == 5 && boxedNone == null;
            int? back = (int?)boxedSome;
            int? backNone = (int?)boxedNone;
            ok &= back.HasValue && back.Value == 5 && !backNone.HasValue && backNone.GetValueOrDefault() == 0;
            return ok;
        }

        private static bool VirtualCalls()
        {
            Animal[] animals = { new Animal(), new Dog(), new Puppy() };
            string[] sounds = { "...", "woof", "small woof" };
            int[] legs = { 0, 4, 4 };
            bool ok = true;
            for (int i = 0; i < animals.Length; i++)
                ok &= animals[i].Speak() == sounds[i] && animals[i].Legs() == legs[i];
            return ok;
        }

        private static IShape[] Shapes() => new IShape[]
        {
            new Triangle(), new Square(), new Pentagon(), new Hexagon(), new Heptagon(), new Octagon(),
            new Circle(), new VirtualShape(), new OverridingShape(), new ValueShape(12), new Cube(),
        };

        private static bool InterfaceCalls()
        {
            IShape[] shapes = Shapes();
            int[] sides = { 3, 4, 5, 6, 7, 8, 0, 10, 11, 12, 12 };
            bool ok = true;
            // Two rounds: the first resolves each (call site, type) pair, the second may be cached.
            for (int round = 0; round < 2; round++)
            {
                for (int i = 0; i < shapes.Length; i++)
                {
                    IShape shape = shapes[i];
                    ok &= shape.Sides() == sides[i];
                    ok &= shape.Mix(1, -2, 3, 4, 5, 6.5, 7 + round) == ShapeMath.Mix(sides[i], 1, -2, 3, 4, 5, 6.5, 7 + round);
                }
            }
            return ok;
        }

        private static bool DefaultInterfaceMethods()
        {
            IShape[] shapes = Shapes();
            string[] expected =
            {
                "shape/3", "shape/4", "shape/5", "shape/6", "shape/7", "shape/8", "circle", "shape/10", "shape/11", "shape/12",
                "cube",
            };
            bool ok = true;
            for (int i = 0; i < shapes.Length; i++) ok &= shapes[i].Describe() == expected[i];
            return ok;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static T GetFrom<T>(IThing<T> thing) => thing.Get();

        private static bool GenericInterfaces()
        {
            IThing<int>[] ints =
            {
                new CounterThing(), new ConstantThing(), new NegativeThing(), new BoxThing<int>(5, 6), new DualThing(),
            };
            int[] intValues = { 1, 42, -7, 5, 99 };
            int[] intTags = { 1, 2, 3, 6, 8 };
            IThing<string>[] strings =
            {
                new NameThing("ann"), new GreetingThing(), new BoxThing<string>("boxed", 7), new DualThing(),
            };
            string[] stringValues = { "ann", "hello there", "boxed", "dual" };
            int[] stringTags = { 4, 5, 7, 9 };
            bool ok = true;
            for (int i = 0; i < ints.Length; i++)
                ok &= ints[i].Get() == intValues[i] && ints[i].Tag() == intTags[i];
            for (int i = 0; i < strings.Length; i++)
                ok &= strings[i].Get() == stringValues[i] && strings[i].Tag() == stringTags[i];
            // Through generic code: GetFrom<string> is shared code that finds its dispatch cell
            // in a generic dictionary; GetFrom<int> is its own instantiation.
            for (int i = 0; i < strings.Length; i++) ok &= GetFrom(strings[i]) == stringValues[i];
            ok &= GetFrom(ints[0]) == 2 && GetFrom(ints[3]) == 5 && GetFrom(ints[4]) == 99;
            return ok;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static object ProduceFrom(IProducer<object> producer) => producer.Produce();

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int GiveTo(IConsumer<string> consumer, string item) => consumer.Take(item);

        private static bool GenericVariance()
        {
            // IProducer<out T>: the string and Triangle producers are reached through
            // IProducer<object>, which neither lists in its interface map.
            object text = ProduceFrom(Hide(new StringProducer()));
            object shape = ProduceFrom(Hide(new ShapeProducer()));
            object number = ProduceFrom(Hide(new ObjectProducer()));
            bool ok = text is string s && s == "produced" && shape is Triangle && number is int n && n == 5;
            // IConsumer<in T>: an IConsumer<object> serves calls through IConsumer<string>.
            ok &= GiveTo(Hide(new ObjectConsumer()), "abc") == 1 && GiveTo(Hide(new LengthConsumer()), "abcd") == 4;
            return ok;
        }

        private static bool HeapReuse()
        {
            // 100000 KiB-sized blocks through an 8 MiB arena: only possible if Free returns memory.
            nuint freeBefore = GlobalHeap.FreeBytes;
            bool ok = true;
            for (int i = 0; i < 100000; i++)
            {
                byte* block = (byte*)NativeMemory.Alloc(1024);
                block[0] = (byte)i;
                block[1023] = (byte)(i >> 8);
                ok &= block[0] == (byte)i && ((nuint)block & 15) == 0;
                NativeMemory.Free(block);
            }
            byte* a = (byte*)NativeMemory.Alloc(1024);
            byte* b = (byte*)NativeMemory.Alloc(1024);
            ok &= a != b && (a + 1024 <= b || b + 1024 <= a);
            NativeMemory.Free(a);
            NativeMemory.Free(b);
            ok &= GlobalHeap.FreeBytes == freeBefore;
            return ok;
        }
    }
}
