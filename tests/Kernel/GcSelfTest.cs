// selftest=gc: the collector on the boot stack. Builds live structures (a list reached from a
// static field, an array of interfaces and an array of structs with references reached only from
// locals, strings), makes garbage, collects, and checks that the live structures are intact
// (contents, interface calls, strings), the garbage is reclaimed and heap use is back down; then
// 64 MiB of garbage through a heap that must not grow by more than a few MiB.
using ExoSharp.Kernel.Core;
using Internal.Runtime;

namespace ExoSharp.Tests.Kernel
{
    internal static class GcSelfTest
    {
        private interface IShape
        {
            long Area();
            string Name { get; }
        }

        private sealed class Square : IShape
        {
            private readonly long _side;
            private readonly string _name;
            public Square(long side) { _side = side; _name = "square " + side.ToString(); }
            public long Area() => _side * _side;
            public string Name => _name;
        }

        private sealed class Rectangle : IShape
        {
            private readonly long _width, _height;
            public Rectangle(long width, long height) { _width = width; _height = height; }
            public long Area() => _width * _height;
            public string Name => "rectangle";
        }

        private sealed class Node
        {
            public int Value;
            public string Label;
            public IShape Shape;
            public Node Next;
        }

        private struct Pair
        {
            public string Key;
            public long Number;
            public object Value;
        }

        private static Node s_list;

        public static void Run()
        {
            const int Count = 2000;
            GlobalHeap.Collect();
            ulong before = GlobalHeap.InUseBytes;

            Node list = null;
            for (int i = Count - 1; i >= 0; i--)
                list = new Node { Value = i, Label = "node " + i.ToString(), Shape = i % 2 == 0 ? new Square(i) : new Rectangle(i, 3), Next = list };
            s_list = list;
            list = null;
            IShape[] shapes = new IShape[Count];
            for (int i = 0; i < Count; i++) shapes[i] = i % 3 == 0 ? new Rectangle(i, 2) : new Square(i);
            Pair[] pairs = new Pair[Count];
            for (int i = 0; i < Count; i++) pairs[i] = new Pair { Key = "key " + i.ToString(), Number = i, Value = new int[] { i, -i } };
            GlobalHeap.Collect();
            ulong live = GlobalHeap.InUseBytes - before;

            ulong garbage = MakeGarbage(20000);
            ulong withGarbage = GlobalHeap.InUseBytes;
            GlobalHeap.Collect();
            ulong freed = (ulong)GarbageCollector.LastFreedBytes;
            ulong after = GlobalHeap.InUseBytes;

            bool intact = Check(shapes, pairs, Count);
            Console.Write("kernel: gc: ");
            Console.WriteDecimal(live / 1024);
            Console.Write(" KiB live, ");
            Console.WriteDecimal(garbage / 1024);
            Console.Write(" KiB garbage, ");
            Console.WriteDecimal(freed / 1024);
            Console.Write(" KiB freed, in use ");
            Console.WriteDecimal((withGarbage - before) / 1024);
            Console.Write(" -> ");
            Console.WriteDecimal((after - before) / 1024);
            Console.WriteLine(" KiB");
            Console.WriteLine(intact ? "kernel: gc: live structures intact" : "kernel: gc: FAILED: live structures damaged");
            Console.WriteLine(freed >= garbage * 9 / 10 && after - before <= live + live / 10 + 65536
                ? "kernel: gc: garbage reclaimed" : "kernel: gc: FAILED: garbage kept");

            // 64 MiB of garbage in 1 KiB arrays: the heap must be collected, not grown.
            ulong total = GlobalHeap.TotalBytes;
            for (int i = 0; i < 65536; i++)
            {
                byte[] chunk = new byte[1024];
                chunk[i & 1023] = 1;
            }
            ulong growth = GlobalHeap.TotalBytes - total;
            Console.Write("kernel: gc: 64 MiB of garbage grew the heap by ");
            Console.WriteDecimal(growth / 1024);
            Console.WriteLine(" KiB");
            Console.WriteLine(growth <= (8UL << 20) && Check(shapes, pairs, Count) ? "kernel: gc ok" : "kernel: gc: FAILED");
            s_list = null;
        }

        private static ulong MakeGarbage(int count)
        {
            ulong start = GlobalHeap.InUseBytes;
            object keep = null;
            for (int i = 0; i < count; i++)
            {
                if (i % 4 == 0) keep = new Node { Value = i, Label = "garbage " + i.ToString(), Next = keep as Node };
                else if (i % 4 == 1) keep = new byte[100 + i % 300];
                else if (i % 4 == 2) keep = new object[] { keep, "x" + i.ToString() };
                else keep = new Square(i);
            }
            keep = null;
            return GlobalHeap.InUseBytes - start;
        }

        private static bool Check(IShape[] shapes, Pair[] pairs, int count)
        {
            int n = 0;
            for (Node node = s_list; node != null; node = node.Next, n++)
            {
                if (node.Value != n || node.Label != "node " + n.ToString()) return false;
                long area = n % 2 == 0 ? (long)n * n : (long)n * 3;
                if (node.Shape.Area() != area) return false;
                if (n % 2 == 0 && node.Shape.Name != "square " + n.ToString()) return false;
            }
            if (n != count) return false;
            for (int i = 0; i < count; i++)
            {
                long area = i % 3 == 0 ? (long)i * 2 : (long)i * i;
                if (shapes[i].Area() != area || shapes[i].Name != (i % 3 == 0 ? "rectangle" : "square " + i.ToString())) return false;
                if (pairs[i].Key != "key " + i.ToString() || pairs[i].Number != i) return false;
                if (!(pairs[i].Value is int[] values) || values.Length != 2 || values[0] != i || values[1] != -i) return false;
            }
            return true;
        }
    }
}
