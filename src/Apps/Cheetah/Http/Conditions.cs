// The request fields that make a response conditional or partial (RFC 9110 sections 13 and 14):
// If-None-Match (weak comparison, "*" matches any existing file), If-Range (strong comparison
// with the entity tag, or the exact Last-Modified date) and one byte range of Range. Several
// ranges in one Range field are not served: the field is then ignored and the whole file sent,
// as RFC 9110 allows; a syntactically invalid Range is ignored too.
namespace ExoSharp.Apps.Cheetah.Http
{
    public static unsafe class Conditions
    {
        /// <summary>Whether If-None-Match's list v[0..length) names tag (weakly) or is "*".</summary>
        public static bool NoneMatch(byte* v, int length, byte* tag, int tagLength)
        {
            int i = 0;
            while (i < length)
            {
                while (i < length && (v[i] == ' ' || v[i] == '\t' || v[i] == ',')) i++;
                if (i == length) break;
                if (v[i] == '*') return true;
                if (i + 1 < length && v[i] == 'W' && v[i + 1] == '/') i += 2;
                int start = i;
                if (i >= length || v[i] != '"') return false;
                i++;
                while (i < length && v[i] != '"') i++;
                if (i == length) return false;
                i++;
                if (Same(v + start, i - start, tag, tagLength)) return true;
            }
            return false;
        }

        /// <summary>Whether If-Range's validator still holds: the entity tag strongly equal to tag,
        /// or a date equal to the file's modification time.</summary>
        public static bool IfRange(byte* v, int length, byte* tag, int tagLength, ulong modified)
        {
            if (length > 0 && v[0] == '"') return Same(v, length, tag, tagLength);
            if (length > 1 && v[0] == 'W' && v[1] == '/') return false;
            return HttpDate.Parse(v, length, out ulong date) && date == modified;
        }

        /// <summary>Range v[0..length) against a file of size bytes: 206 with the range in first
        /// and count, 416 when the one range lies past the end, 200 when the field is ignored.</summary>
        public static int Range(byte* v, int length, ulong size, out ulong first, out ulong count)
        {
            first = 0;
            count = size;
            if (!Ascii.StartsWithIgnoreCase(v, length, "bytes=")) return HttpStatus.Ok;
            int i = 6;
            while (i < length && (v[i] == ' ' || v[i] == '\t')) i++;
            for (int k = i; k < length; k++) if (v[k] == ',') return HttpStatus.Ok;
            bool hasFirst = Number(v, length, ref i, out ulong a);
            if (i >= length || v[i] != '-') return HttpStatus.Ok;
            i++;
            bool hasLast = Number(v, length, ref i, out ulong b);
            while (i < length && (v[i] == ' ' || v[i] == '\t')) i++;
            if (i != length || (!hasFirst && !hasLast)) return HttpStatus.Ok;
            if (!hasFirst)
            {
                // A suffix: the last b bytes.
                if (b == 0 || size == 0) return HttpStatus.RangeNotSatisfiable;
                if (b > size) b = size;
                first = size - b;
                count = b;
                return HttpStatus.PartialContent;
            }
            if (hasLast && b < a) return HttpStatus.Ok;
            if (a >= size) return HttpStatus.RangeNotSatisfiable;
            ulong last = hasLast && b < size - 1 ? b : size - 1;
            first = a;
            count = last - a + 1;
            return HttpStatus.PartialContent;
        }

        /// <summary>Digits at v[i..): false when none; values past 10^18 saturate.</summary>
        private static bool Number(byte* v, int length, ref int i, out ulong value)
        {
            value = 0;
            int start = i;
            while (i < length && v[i] >= '0' && v[i] <= '9')
            {
                if (value < 1_000_000_000_000_000_000UL) value = value * 10 + (ulong)(v[i] - '0');
                i++;
            }
            return i > start;
        }

        private static bool Same(byte* a, int aLength, byte* b, int bLength)
        {
            if (aLength != bLength) return false;
            for (int k = 0; k < aLength; k++) if (a[k] != b[k]) return false;
            return true;
        }
    }
}
