// Overrides both of Animal's virtual methods.
namespace ExoSharp.Apps.CorelibTests
{
    internal class Dog : Animal
    {
        public override string Speak() => "woof";

        public override int Legs() => 4;
    }
}
