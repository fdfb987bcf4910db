// A class with fields of several kinds for the object checks.
namespace ExoSharp.Apps.CorelibTests
{
    internal sealed class Record
    {
        public byte Small;
        public int Number;
        public long Big;
        public double Real;
        public string Text;
        public Record Next;
        public Point Where;
    }
}
