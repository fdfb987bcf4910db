// Root of the virtual-call chain Animal -> Dog -> Puppy.
namespace ExoSharp.Apps.CorelibTests
{
    internal class Animal
    {
        public virtual string Speak() => "...";

        public virtual int Legs() => 0;
    }
}
