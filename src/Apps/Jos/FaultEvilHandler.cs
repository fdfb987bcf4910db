// JOS lab 4 user/faultevilhandler: the handler address points into the kernel (here the
// ExoSharp kernel image): the kernel must not jump there in ring 0 or 3; it kills.
using ExoSharp.Abi;
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Jos
{
    internal static unsafe class FaultEvilHandler
    {
        public static int Main(string arguments)
        {
            Memory.AllocatePage(Layout.ExceptionStackPage);
            Exceptions.SetUpcallOnly(0xFFFF_FFFF_8010_0020, Layout.ExceptionStackTop);
            *(int*)0 = 0;
            return 0;
        }
    }
}
