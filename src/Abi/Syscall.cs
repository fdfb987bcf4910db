// System call numbers: the one list, compiled into the kernel and into every user program.
// Convention: rax = number, arguments in rdi, rsi, rdx, r10, r8; result in rax (a value >= 0,
// or a negative Error). rcx and r11 are clobbered; every other register is preserved.
// docs/abi.md describes each call; tests/Unit checks that it names every member here.
namespace ExoSharp.Abi
{
    public enum Syscall : ulong
    {
        /// <summary>ConsoleWrite(bytes, length): writes bytes to the console; returns length.</summary>
        ConsoleWrite = 0,

        /// <summary>Exit(status): ends the calling environment; does not return.</summary>
        Exit = 1,

        /// <summary>Abort(typeAddress, message, length): ends the calling environment as killed
        /// by an unhandled exception; message is UTF-16; does not return.</summary>
        Abort = 2,
    }
}
