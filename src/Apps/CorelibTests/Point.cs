// A small struct for field, boxing and generic checks.
namespace ExoSharp.Apps.CorelibTests
{
    internal struct Point
    {
        public int X;
        public int Y;

        public Point(int x, int y)
        {
            X = x;
            Y = y;
        }

        public override string ToString() => "(" + X.ToString() + "," + Y.ToString() + ")";
    }
}
