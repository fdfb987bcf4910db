// HTTP's dates (RFC 9110 section 5.6.7): IMF-fixdate written ("Sun, 06 Nov 1994 08:49:37 GMT"),
// and all three forms read: IMF-fixdate, the obsolete RFC 850 form (two-digit years: 70-99 are
// 19xx, 00-69 20xx) and asctime's. The weekday is not checked against the date. Calendar
// arithmetic is ExOS's CivilTime.
using ExoSharp.LibOS.ExOS;

namespace ExoSharp.Apps.Cheetah.Http
{
    public static unsafe class HttpDate
    {
        public const int Length = 29;
        private const string Days = "ThuFriSatSunMonTueWed";   // 1970-01-01 was a Thursday
        private const string Months = "JanFebMarAprMayJunJulAugSepOctNovDec";

        /// <summary>Writes the IMF-fixdate of seconds since the epoch: Length bytes.</summary>
        public static void Format(ulong seconds, ref AsciiWriter w)
        {
            CivilTime t = CivilTime.FromUnixSeconds(seconds);
            int day = (int)(seconds / 86400 % 7);
            w.Byte((byte)Days[day * 3]); w.Byte((byte)Days[day * 3 + 1]); w.Byte((byte)Days[day * 3 + 2]);
            w.Text(", ");
            w.Decimal((ulong)t.Day, 2);
            w.Byte((byte)' ');
            int m = (t.Month - 1) * 3;
            w.Byte((byte)Months[m]); w.Byte((byte)Months[m + 1]); w.Byte((byte)Months[m + 2]);
            w.Byte((byte)' ');
            w.Decimal((ulong)t.Year, 4);
            w.Byte((byte)' ');
            w.Decimal((ulong)t.Hour, 2); w.Byte((byte)':');
            w.Decimal((ulong)t.Minute, 2); w.Byte((byte)':');
            w.Decimal((ulong)t.Second, 2);
            w.Text(" GMT");
        }

        /// <summary>Reads any of the three forms; false when v is none of them.</summary>
        public static bool Parse(byte* v, int length, out ulong seconds)
        {
            seconds = 0;
            int i = 0;
            while (i < length && ((v[i] >= 'a' && v[i] <= 'z') || (v[i] >= 'A' && v[i] <= 'Z'))) i++;
            if (i < 3 || i >= length) return false;
            var t = new CivilTime();
            if (v[i] == ',')
            {
                if (i + 2 >= length || v[i + 1] != ' ') return false;
                i += 2;
                if (i + 2 < length && v[i + 2] == '-')
                {
                    // RFC 850: dd-Mon-yy HH:MM:SS GMT
                    if (length - i != 22 || v[i + 6] != '-' || v[i + 9] != ' ') return false;
                    if (!Number(v + i, 2, out t.Day) || !Month(v + i + 3, out t.Month) || !Number(v + i + 7, 2, out t.Year)) return false;
                    t.Year += t.Year < 70 ? 2000 : 1900;
                    i += 10;
                }
                else
                {
                    // IMF-fixdate: dd Mon yyyy HH:MM:SS GMT
                    if (length - i != 24 || v[i + 2] != ' ' || v[i + 6] != ' ' || v[i + 11] != ' ') return false;
                    if (!Number(v + i, 2, out t.Day) || !Month(v + i + 3, out t.Month) || !Number(v + i + 7, 4, out t.Year)) return false;
                    i += 12;
                }
                if (!Time(v + i, ref t) || v[i + 8] != ' ' || v[i + 9] != 'G' || v[i + 10] != 'M' || v[i + 11] != 'T') return false;
            }
            else
            {
                // asctime: Mon dd HH:MM:SS yyyy (dd may start with a space)
                if (i != 3 || length != 24 || v[3] != ' ' || v[7] != ' ' || v[10] != ' ' || v[19] != ' ') return false;
                if (!Month(v + 4, out t.Month)) return false;
                if (v[8] == ' ') { if (!Number(v + 9, 1, out t.Day)) return false; }
                else if (!Number(v + 8, 2, out t.Day)) return false;
                if (!Time(v + 11, ref t) || !Number(v + 20, 4, out t.Year)) return false;
            }
            if (t.Year < 1970 || t.Day < 1 || t.Day > 31 || t.Hour > 23 || t.Minute > 59 || t.Second > 60) return false;
            seconds = t.ToUnixSeconds();
            return true;
        }

        private static bool Time(byte* v, ref CivilTime t) =>
            v[2] == ':' && v[5] == ':' && Number(v, 2, out t.Hour) && Number(v + 3, 2, out t.Minute) && Number(v + 6, 2, out t.Second);

        private static bool Number(byte* v, int digits, out int value)
        {
            value = 0;
            for (int k = 0; k < digits; k++)
            {
                if (v[k] < '0' || v[k] > '9') return false;
                value = value * 10 + (v[k] - '0');
            }
            return true;
        }

        private static bool Month(byte* v, out int month)
        {
            for (month = 1; month <= 12; month++)
            {
                int m = (month - 1) * 3;
                if (v[0] == Months[m] && v[1] == Months[m + 1] && v[2] == Months[m + 2]) return true;
            }
            return false;
        }
    }
}
