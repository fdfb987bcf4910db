// Resolves interface calls for RhpInitialDynamicInterfaceDispatch (Native/runtime.asm), which
// passes the dispatch cell and `this` and jumps to the code address returned. Algorithm and cell
// layout: RUNTIME-FACTS.md "Interface dispatch". Results are remembered per (cell, type) in an
// insert-only table; like GlobalHeap it assumes no concurrent resolver (interrupts off, one CPU).
// Missing: arrays' generic interfaces, static virtuals, generic virtual methods, IDynamicInterfaceCastable.
using System;
using System.Runtime;

namespace Internal.Runtime
{
    internal static unsafe class InterfaceDispatch
    {
        // Tags in the low bits of a fresh cell's m_pCache (the cell's second word).
        private const int CacheTagMask = 3;
        private const int CacheTagAbsolute = 1;
        private const int CacheTagIndirectRelative = 2;
        private const int CacheTagRelative = 3;
        private const int CellSize = 16;

        // Implementation slots with special meaning in dispatch maps.
        private const ushort ReabstractedSlot = 0xFFFF;
        private const ushort DiamondSlot = 0xFFFE;

        private const byte VarianceCovariant = 1;
        private const byte VarianceContravariant = 2;
        private const byte VarianceArrayCovariant = 0x20;

        // Cache: open addressing over CacheEntries entries of {cell, type, target}, a few probes,
        // never evicted (a full neighbourhood just means "resolve every time"). The table lives in
        // runtime.asm, whose dispatch stub reads the first probe itself: keep CacheBits and
        // CacheIndex in step with its DISPATCH_CACHE_BITS and hash.
        private const int CacheBits = 9;
        private const int CacheEntries = 1 << CacheBits;
        private const int CacheProbes = 4;

        [RuntimeImport("exo_dispatch_cache_address")]
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.InternalCall)]
        private static extern ulong* CacheTable();

        [RuntimeExport("ExoSharpResolveInterface")]
        public static nint Resolve(nint cell, object self)
        {
            MethodTable* type = self.m_pEEType;
            nint target = Lookup(cell, type);
            if (target != 0) return target;

            MethodTable* interfaceType = CellInterface(cell, out ushort slot);
            if (interfaceType == null)
                throw new EntryPointNotFoundException("Unsupported interface dispatch cell.");
            target = FindImplementation(type, interfaceType, slot);
            Remember(cell, type, target);
            return target;
        }

        /// <summary>
        /// The interface and slot a cell calls. The interface comes from the cell's tagged
        /// m_pCache; the slot from the terminator ({0, (cellType &lt;&lt; 16) | slot}) that closes
        /// the cell's run. Null for cells that are not interface cells.
        /// </summary>
        private static MethodTable* CellInterface(nint cell, out ushort slot)
        {
            slot = 0;
            byte* cachePointer = (byte*)cell + 8;
            ulong cache = *(ulong*)cachePointer;
            MethodTable* interfaceType;
            switch ((int)cache & CacheTagMask)
            {
                case CacheTagRelative:
                    interfaceType = (MethodTable*)((nuint)(cachePointer + (int)cache) & ~(nuint)CacheTagMask);
                    break;
                case CacheTagIndirectRelative:
                    interfaceType = *(MethodTable**)((nuint)(cachePointer + (int)cache) & ~(nuint)CacheTagMask);
                    break;
                case CacheTagAbsolute:
                    interfaceType = (MethodTable*)(cache & ~(ulong)CacheTagMask);
                    break;
                default:
                    return null; // a cache pointer: only a runtime that writes cells makes these
            }

            byte* terminator = (byte*)cell;
            while (*(nint*)terminator != 0) terminator += CellSize;
            ulong info = *(ulong*)(terminator + 8);
            if ((info >> 16) != 0) return null; // cell type other than "interface and slot"
            slot = (ushort)info;
            return interfaceType;
        }

        /// <summary>
        /// The code that implements slot <paramref name="slot"/> of <paramref name="interfaceType"/>
        /// for objects of <paramref name="type"/>. Throws EntryPointNotFoundException when there is none.
        /// </summary>
        internal static nint FindImplementation(MethodTable* type, MethodTable* interfaceType, ushort slot)
        {
            // Implementations in classes first (exact, then variant, at each level of the base
            // chain); default interface methods only when no class implements the method.
            for (int pass = 0; pass < 2; pass++)
            {
                bool defaults = pass == 1;
                for (MethodTable* owner = type; owner != null; owner = owner->BaseType)
                {
                    if (!FindImplSlot(owner, interfaceType, slot, defaults, out ushort impl)) continue;
                    if (impl < owner->NumVtableSlots)
                        return type->Vtable[impl]; // the object's own vtable: derived overrides win
                    if (impl == ReabstractedSlot)
                        throw new EntryPointNotFoundException("The interface method is reabstracted and has no implementation.");
                    if (impl == DiamondSlot)
                        throw new EntryPointNotFoundException("The interface method has more than one most specific implementation.");
                    return owner->GetSealedVirtualSlot(impl - owner->NumVtableSlots);
                }
            }
            throw new EntryPointNotFoundException("No implementation of interface slot " + ((int)slot).ToString() + ".");
        }

        private static bool FindImplSlot(MethodTable* owner, MethodTable* interfaceType, ushort slot, bool defaults, out ushort impl)
        {
            impl = 0;
            if (!owner->HasDispatchMap) return false;
            return SearchMap(owner, interfaceType, slot, defaults, false, out impl) ||
                (interfaceType->HasGenericVariance && SearchMap(owner, interfaceType, slot, defaults, true, out impl));
        }

        private static bool SearchMap(MethodTable* owner, MethodTable* interfaceType, ushort slot, bool defaults, bool variant, out ushort impl)
        {
            ushort* map = owner->DispatchMap;
            int first = defaults ? map[0] : 0;
            int end = defaults ? map[0] + map[1] : map[0];
            ushort* entries = map + 4;
            MethodTable** interfaces = owner->InterfaceMap;
            for (int i = first; i < end; i++)
            {
                ushort* entry = entries + i * 3;
                if (entry[1] != slot) continue;
                MethodTable* candidate = interfaces[entry[0]];
                if (variant ? IsVariantMatch(candidate, interfaceType) : candidate == interfaceType)
                {
                    impl = entry[2];
                    return true;
                }
            }
            impl = 0;
            return false;
        }

        /// <summary>
        /// Whether an object implementing <paramref name="implemented"/> can serve calls through
        /// <paramref name="called"/>: same generic definition, and per type argument identical, or
        /// reference types related in the direction the parameter's variance allows.
        /// </summary>
        private static bool IsVariantMatch(MethodTable* implemented, MethodTable* called)
        {
            if (!implemented->IsGeneric || !called->IsGeneric) return false;
            if (implemented->GenericDefinition != called->GenericDefinition) return false;
            byte* variance = called->GenericVariance;
            int arity = called->GenericArity;
            for (int i = 0; i < arity; i++)
            {
                MethodTable* source = implemented->GetGenericArgument(i);
                MethodTable* target = called->GetGenericArgument(i);
                if (source == target) continue;
                if (variance == null || source->IsValueType || target->IsValueType) return false;
                switch (variance[i])
                {
                    case VarianceCovariant:
                    case VarianceArrayCovariant:
                        if (!TypeCast.AreTypesAssignable(source, target)) return false;
                        break;
                    case VarianceContravariant:
                        if (!TypeCast.AreTypesAssignable(target, source)) return false;
                        break;
                    default:
                        return false;
                }
            }
            return true;
        }

        // Fibonacci hashing of both addresses to CacheBits bits.
        private static int CacheIndex(nint cell, MethodTable* type) =>
            (int)(((((ulong)cell >> 4) ^ ((ulong)type >> 3)) * 0x9E3779B97F4A7C15UL) >> (64 - CacheBits));

        private static nint Lookup(nint cell, MethodTable* type)
        {
            int index = CacheIndex(cell, type);
            for (int probe = 0; probe < CacheProbes; probe++)
            {
                ulong* entry = Entry((index + probe) & (CacheEntries - 1));
                ulong entryCell = entry[0];
                if (entryCell == 0) return 0;
                if (entryCell == (ulong)cell && entry[1] == (ulong)type) return (nint)entry[2];
            }
            return 0;
        }

        private static void Remember(nint cell, MethodTable* type, nint target)
        {
            int index = CacheIndex(cell, type);
            for (int probe = 0; probe < CacheProbes; probe++)
            {
                ulong* entry = Entry((index + probe) & (CacheEntries - 1));
                if (entry[0] != 0) continue;
                // The cell word publishes the entry, so it is written last.
                entry[1] = (ulong)type;
                entry[2] = (ulong)target;
                entry[0] = (ulong)cell;
                return;
            }
        }

        private static ulong* Entry(int index)
        {
            return CacheTable() + index * 3;
        }
    }
}
