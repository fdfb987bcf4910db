// A calendar date and time of day in UTC from seconds since the Unix epoch (proleptic
// Gregorian, no leap seconds) and back: for file times, HTTP dates and printing the clock.
namespace ExoSharp.LibOS.ExOS
{
    public struct CivilTime
    {
        public int Year, Month, Day, Hour, Minute, Second;

        public static CivilTime FromUnixSeconds(ulong seconds)
        {
            long days = (long)(seconds / 86400);
            int rest = (int)(seconds % 86400);
            long z = days + 719468;
            long era = z / 146097;
            long dayOfEra = z - era * 146097;
            long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
            long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
            long monthIndex = (5 * dayOfYear + 2) / 153;
            var time = new CivilTime
            {
                Day = (int)(dayOfYear - (153 * monthIndex + 2) / 5 + 1),
                Month = (int)(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9),
                Hour = rest / 3600,
                Minute = rest / 60 % 60,
                Second = rest % 60,
            };
            time.Year = (int)(yearOfEra + era * 400 + (time.Month <= 2 ? 1 : 0));
            return time;
        }

        /// <summary>Seconds since 1970-01-01 UTC of this date and time (the inverse of
        /// FromUnixSeconds); precondition: a valid date from 1970 on.</summary>
        public ulong ToUnixSeconds()
        {
            long y = Month <= 2 ? Year - 1 : Year;
            long era = y / 400;
            long yearOfEra = y - era * 400;
            long dayOfYear = (153 * (Month > 2 ? Month - 3 : Month + 9) + 2) / 5 + Day - 1;
            long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
            long days = era * 146097 + dayOfEra - 719468;
            return (ulong)(days * 86400 + Hour * 3600 + Minute * 60 + Second);
        }

        /// <summary>"YYYY-MM-DD HH:MM:SS".</summary>
        public override string ToString() =>
            Year.ToString() + "-" + Two(Month) + "-" + Two(Day) + " " + Two(Hour) + ":" + Two(Minute) + ":" + Two(Second);

        private static string Two(int value) => value < 10 ? "0" + value.ToString() : value.ToString();
    }
}
