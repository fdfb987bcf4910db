// The system call dispatcher, entered from syscall_entry (stubs.asm) with interrupts off and
// the caller's registers in a TrapFrame (rax = number; rdi, rsi, rdx, r10, r8 = arguments;
// the result goes back in rax). Every argument is checked; a bad one returns a negative
// Abi.Error, never a kernel fault. Calls that end or switch environments do not return.
using System.Runtime;
using System.Runtime.InteropServices;
using ExoSharp.Abi;
using ExoSharp.Kernel.X64;

namespace ExoSharp.Kernel.Core
{
    internal static unsafe class Syscalls
    {
        [RuntimeExport("ExoSharpSyscall")]
        public static void Entry(TrapFrame* frame)
        {
            Running.Sync();
            if (Collector.Stress) Collector.AtSystemCall();
            Environment env = Scheduler.Current;
            if (ForeignSyscall.IsForeign(env, frame))
            {
                ForeignSyscall.Deliver(env, frame);
                return;
            }
            frame->Rax = (ulong)Dispatch(env, frame, frame->Rdi, frame->Rsi, frame->Rdx, frame->R10, frame->R8);
        }

        private static long Dispatch(Environment env, TrapFrame* frame, ulong a0, ulong a1, ulong a2, ulong a3, ulong a4)
        {
            switch ((Syscall)frame->Rax)
            {
                case Syscall.ConsoleWrite: return ConsoleWrite(env, a0, a1);
                case Syscall.Exit: Exit(env, (long)a0); return 0;
                case Syscall.Abort: Abort(env, a0, a1, a2, a3, a4); return 0;
                case Syscall.EnvId: return (long)env.Id;
                case Syscall.ForeignSyscalls:
                {
                    Environment target = Target(env, a0, out long error);
                    return target == null ? error : ForeignSyscall.Set(target, a1);
                }
                case Syscall.Yield:
                {
                    Environment to = null;
                    if (a0 != 0)
                    {
                        CapabilitySlot* slot = env.Capabilities.Lookup(a0, CapabilityType.Environment);
                        if (slot == null) return (long)Error.BadHandle;
                        if ((slot->Rights & CapabilityRights.Yield) == 0) return (long)Error.NoRights;
                        to = EnvTable.Find(slot->Object);        // ended: a plain yield
                    }
                    env.InEpilogue = false;
                    frame->Rax = 0;
                    Scheduler.YieldTo(frame, to);
                    return 0;
                }
                case Syscall.EnvCreate: return EnvCreate(env, frame);
                case Syscall.EnvIdOf:
                {
                    // The name outlives the environment: a child that ended at once still has
                    // its id, and the environment table tells how it ended.
                    if (a0 == Capability.Self) return (long)env.Id;
                    CapabilitySlot* slot = env.Capabilities.Lookup(a0, CapabilityType.Environment);
                    return slot == null ? (long)Error.BadHandle : (long)slot->Object;
                }
                case Syscall.EnvSetStatus: return EnvSetStatus(env, frame, a0, a1);
                case Syscall.EnvSetRegisters: return EnvSetRegisters(env, a0, a1);
                case Syscall.EnvSetExtendedState: return EnvSetExtendedState(env, a0, a1, a2);
                case Syscall.EnvDestroy: return EnvDestroy(env, a0);
                case Syscall.FrameAlloc: return Mappings.AllocateFrame(env, a0);
                case Syscall.FrameFree: return Mappings.FreeFrame(env, a0);
                case Syscall.PageMap: return PageMap(env, a0, a1, a2);
                case Syscall.PageMapRange: return PageMapRange(env, a0, a1, a2, a3, a4);
                case Syscall.PageMapOne:
                {
                    Environment target = Target(env, a0, out long error);
                    return target == null ? error : Mappings.MapOne(env, target, a1, a2, a3);
                }
                case Syscall.PageUnmap:
                {
                    Environment target = Target(env, a0, out long error);
                    return target == null ? error : Mappings.Unmap(target, a1, a2);
                }
                case Syscall.PageQuery:
                    if (!UserMemory.CanAccess(env.Space, a1, (ulong)sizeof(PageInfo), true)) return (long)Error.BadAddress;
                    return Mappings.Query(env, a0, (PageInfo*)a1);
                case Syscall.SetExceptionHandler:
                {
                    Environment target = Target(env, a0, out long error);
                    if (target == null) return error;
                    UpcallCache.Invalidate();
                    target.ExceptionEntry = a1;
                    target.ExceptionStackTop = a2;
                    return 0;
                }
                case Syscall.SliceAlloc:
                {
                    Environment target = Target(env, a0, out long error);
                    if (target == null) return error;
                    if (!target.Capabilities.Reserve(1)) return (long)Error.TableFull;
                    long slot = Scheduler.Allocate(target, a1);
                    if (slot < 0) return slot;
                    CapabilitySlot* giver = a0 == Capability.Self ? env.Capabilities.SelfSlot : env.Capabilities.Lookup(a0, CapabilityType.Environment);
                    return (long)Authority.GrantSlot(target, (int)slot, giver);
                }
                case Syscall.SetSliceHandlers:
                {
                    Environment target = Target(env, a0, out long error);
                    if (target == null) return error;
                    target.PrologueEntry = a1;
                    target.EpilogueEntry = a2;
                    return 0;
                }
                case Syscall.Revoke:
                {
                    Environment target = Target(env, a0, out long error);
                    return target == null ? error : Revocation.Request(target, a1);
                }
                case Syscall.EnvSetName: return EnvSetName(env, a0, a1, a2);
                case Syscall.MachineStatus: return PowerOff.SetStatus(env, a0, a1);
                case Syscall.CapDrop: return Authority.Drop(env, a0);
                case Syscall.CapMint: return Authority.Mint(env, a0, a1, a2);
                case Syscall.CapRevoke: return Authority.Revoke(env, a0);
                case Syscall.IpcWait: return Ipc.Wait(env, frame, a0);
                case Syscall.IpcCall: return Ipc.Call(env, frame, a0, a1);
                case Syscall.IpcReply: return Ipc.Reply(env, frame, a0, a1, a2);
                case Syscall.IpcCallRegisters: return Ipc.CallRegisters(env, frame, a0, a1, a2, a3);
                case Syscall.IpcReplyRegisters: return Ipc.ReplyRegisters(env, frame, a0, a1, a2, a3, a4);
                case Syscall.IpcWaitRegisters: return Ipc.WaitRegisters(env, frame);
                default:
                    return Subsystems.Call(env, frame, frame->Rax, a0, a1, a2, a3, a4);     // the executive, the network, XN
            }
        }

        /// <summary>The environment an environment handle with the Control right names (0: the
        /// caller), or null with the error.</summary>
        private static Environment Target(Environment env, ulong handle, out long error)
        {
            error = 0;
            if (handle == Capability.Self) return env;
            CapabilitySlot* slot = env.Capabilities.Lookup(handle, CapabilityType.Environment);
            if (slot == null)
            {
                error = (long)Error.BadHandle;
                return null;
            }
            if ((slot->Rights & CapabilityRights.Control) == 0)
            {
                error = (long)Error.NoRights;
                return null;
            }
            Environment target = EnvTable.Find(slot->Object);
            if (target == null) error = (long)Error.NoSuchEnv;
            return target;
        }

        private static long ConsoleWrite(Environment env, ulong bytes, ulong length)
        {
            if (length > (ulong)UserLayout.MaxConsoleWrite) return (long)Error.BadLength;
            if (!UserMemory.CanAccess(env.Space, bytes, length, false)) return (long)Error.BadAddress;
            Console.WriteBytes((byte*)bytes, (long)length);
            return (long)length;
        }

        private const ulong MaxAbortTrace = 16;

        private static void Exit(Environment env, long status)
        {
            if (status < 0 || status > int.MaxValue) status = int.MaxValue;
            env.WriteLinePrefix();
            Console.Write("exited with status ");
            Console.WriteDecimal(status);
            Console.Write('\n');
            EnvTable.Destroy(env, (int)status);
            Scheduler.RunNext();
        }

        /// <summary>An unhandled exception in the program: print its type, message and the
        /// methods of its trace (return addresses, at most MaxAbortTrace), kill it.</summary>
        private static void Abort(Environment env, ulong typeAddress, ulong message, ulong length, ulong trace, ulong frames)
        {
            env.WriteLinePrefix();
            Console.Write("killed: unhandled exception ");
            if (!Symbols.WriteTypeName(env.Symbols, typeAddress)) Console.Write("(unknown type)");
            if (length > 1024) length = 1024;
            if (UserMemory.CanAccess(env.Space, message, length * 2, false))
            {
                Console.Write(": ");
                char* text = (char*)message;
                for (ulong i = 0; i < length; i++) Console.Write(text[i]);
            }
            Console.Write('\n');
            if (frames > MaxAbortTrace) frames = MaxAbortTrace;
            if (frames != 0 && UserMemory.CanAccess(env.Space, trace, frames * 8, false))
                for (ulong i = 0; i < frames; i++)
                {
                    Console.Write("    at ");
                    Symbols.WriteLocation(env.Symbols, ((ulong*)trace)[i]);
                    Console.Write('\n');
                }
            EnvTable.Destroy(env, EnvTable.StatusKilled);
            Scheduler.RunNext();
        }

        private static long EnvCreate(Environment env, TrapFrame* frame)
        {
            if (!env.Capabilities.Reserve(1)) return (long)Error.TableFull;
            Environment child = EnvTable.Create(env.Name, env.Id, env.Symbols);
            if (child == null) return (long)Error.TableFull;
            child.Capabilities.InsertAt((int)Capability.Parent, CapabilityType.Environment, env.Id, env.Capabilities.SelfSlot,
                                        CapabilityRights.Call | CapabilityRights.Yield, child.Id);
            UserContext.Save(child.Context, frame);
            child.Frame->Rax = 0;
            child.ExceptionEntry = env.ExceptionEntry;
            child.ExceptionStackTop = env.ExceptionStackTop;
            Scheduler.SetForeignLimit(child, env.Fast->ForeignLimit);
            Cpu.SaveSegmentBases(&child.Fast->FsBase);          // the caller's, live in the CPU
            return (long)env.Capabilities.Insert(CapabilityType.Environment, child.Id, true);
        }

        private static long EnvSetName(Environment env, ulong handle, ulong text, ulong length)
        {
            Environment target = Target(env, handle, out long error);
            if (target == null) return error;
            if (length == 0 || length > 32) return (long)Error.BadLength;
            if (!UserMemory.CanAccess(env.Space, text, length, false)) return (long)Error.BadAddress;
            byte* bytes = (byte*)text;
            for (ulong i = 0; i < length; i++)
                if (bytes[i] < 0x21 || bytes[i] > 0x7E) return (long)Error.BadArgument;
            target.Name = new string((sbyte*)bytes, 0, (int)length);
            return 0;
        }

        private static long EnvSetStatus(Environment env, TrapFrame* frame, ulong handle, ulong status)
        {
            Environment target = Target(env, handle, out long error);
            if (target == null) return error;
            if (status != (ulong)EnvStatus.Runnable && status != (ulong)EnvStatus.NotRunnable) return (long)Error.BadArgument;
            target.Runnable = status == (ulong)EnvStatus.Runnable;
            EnvTable.Publish(target);
            if (target == env && !target.Runnable)
            {
                frame->Rax = 0;
                Scheduler.YieldTo(frame, null);
            }
            return 0;
        }

        private static long EnvSetRegisters(Environment env, ulong handle, ulong registers)
        {
            Environment target = Target(env, handle, out long error);
            if (target == null) return error;
            if (target == env) return (long)Error.BadArgument;
            if (!UserMemory.CanAccess(env.Space, registers, (ulong)sizeof(Registers), false)) return (long)Error.BadAddress;
            Registers r = *(Registers*)registers;
            if (!AddressSpace.IsUserRange(r.Rip, 1)) return (long)Error.BadAddress;
            TrapFrame* f = target.Frame;
            System.Buffer.MemoryCopy(&r, f, 15 * 8, 15 * 8);
            f->Rip = r.Rip;
            f->Rsp = r.Rsp;
            f->Rflags = UserContext.SanitizeFlags(r.Rflags);
            return 0;
        }

        /// <summary>The area is copied in first, then checked, so the kernel's XRSTOR of the
        /// context never meets a header that would fault in ring 0.</summary>
        private static long EnvSetExtendedState(Environment env, ulong handle, ulong area, ulong length)
        {
            Environment target = Target(env, handle, out long error);
            if (target == null) return error;
            if (length != ExtendedState.Size) return (long)Error.BadLength;
            byte* copy = stackalloc byte[UserContext.XStateArea];
            if (!UserMemory.CopyFrom(env, area, copy, length)) return (long)Error.BadAddress;
            if (!ExtendedState.IsValid(copy)) return (long)Error.BadArgument;
            System.Buffer.MemoryCopy(copy, target.Context, (long)length, (long)length);
            return 0;
        }

        private static long EnvDestroy(Environment env, ulong handle)
        {
            Environment target = Target(env, handle, out long error);
            if (target == null) return error;
            target.WriteLinePrefix();
            Console.Write("destroyed by env ");
            Console.WriteDecimal(env.Id);
            Console.Write('\n');
            EnvTable.Destroy(target, EnvTable.StatusKilled);
            if (target == env) Scheduler.RunNext();
            return 0;
        }

        private static long PageMap(Environment env, ulong handle, ulong entries, ulong count)
        {
            Environment target = Target(env, handle, out long error);
            if (target == null) return error;
            if (count == 0) return 0;
            if (count > Capability.MaxPageMapBatch) return (long)Error.BadLength;
            ulong bytes = count * (ulong)sizeof(PageMapEntry);
            if (!UserMemory.CanAccess(env.Space, entries, bytes, false)) return (long)Error.BadAddress;
            // Copy first: the caller's memory may change under us (it is its own to change).
            // One buffer of the largest batch, kept: interrupts are off, so one call at a time.
            if (s_pageMapBuffer == null)
                s_pageMapBuffer = (PageMapEntry*)NativeMemory.Alloc((nuint)(Capability.MaxPageMapBatch * (ulong)sizeof(PageMapEntry)));
            System.Buffer.MemoryCopy((void*)entries, s_pageMapBuffer, (long)bytes, (long)bytes);
            return Mappings.Map(env, target, s_pageMapBuffer, (int)count);
        }

        private static PageMapEntry* s_pageMapBuffer;

        /// <summary>PageMapRange(env, address, count, handles, flags).</summary>
        private static long PageMapRange(Environment env, ulong handle, ulong address, ulong count, ulong handles, ulong flags)
        {
            Environment target = Target(env, handle, out long error);
            if (target == null) return error;
            if (count == 0) return 0;
            if (count > Capability.MaxPageMapBatch) return (long)Error.BadLength;
            if (!UserMemory.CanAccess(env.Space, handles, count * 8, false)) return (long)Error.BadAddress;
            return Mappings.MapRange(env, target, address, (int)count, (ulong*)handles, flags);
        }
    }
}
