// The CMOS real-time clock (ports 0x70/0x71), read once at boot as seconds since the Unix
// epoch. Handles BCD and binary modes, 12- and 24-hour modes, and waits out an update in
// progress by reading until two reads agree. Years are taken as 2000-2099 (no century register).
namespace ExoSharp.Kernel.X64;

internal static class Rtc
{
    /// <summary>Seconds since 1970-01-01 UTC, or 0 if the clock never gave two equal reads.
    /// Precondition: interrupts off (the index port is shared with NMI masking).</summary>
    public static ulong ReadUnixSeconds()
    {
        ulong previous = ulong.MaxValue;
        for (int attempt = 0; attempt < 100; attempt++)
        {
            while ((Read(0x0A) & 0x80) != 0) { }         // update in progress
            ulong now = ReadOnce();
            if (now == previous) return now;
            previous = now;
        }
        return 0;
    }

    private static ulong ReadOnce()
    {
        byte status = Read(0x0B);
        bool binary = (status & 0x04) != 0, hours24 = (status & 0x02) != 0;
        int second = Field(0x00, binary), minute = Field(0x02, binary);
        byte rawHour = Read(0x04);
        bool pm = (rawHour & 0x80) != 0;
        int hour = Decode((byte)(rawHour & 0x7F), binary);
        if (!hours24) hour = hour % 12 + (pm ? 12 : 0);
        int day = Field(0x07, binary), month = Field(0x08, binary), year = 2000 + Field(0x09, binary);
        if (month < 1 || month > 12 || day < 1 || day > 31) return 0;
        return (ulong)DaysFromCivil(year, month, day) * 86400 + (ulong)(hour * 3600 + minute * 60 + second);
    }

    /// <summary>Days from 1970-01-01 to the given proleptic Gregorian date.</summary>
    public static long DaysFromCivil(int year, int month, int day)
    {
        if (month <= 2) year--;
        long era = year / 400;
        long yearOfEra = year - era * 400;
        long dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146097 + dayOfEra - 719468;
    }

    private static int Field(byte register, bool binary) => Decode(Read(register), binary);

    private static int Decode(byte value, bool binary) => binary ? value : (value >> 4) * 10 + (value & 0x0F);

    private static byte Read(byte register)
    {
        Cpu.OutByte(0x70, register);
        return Cpu.InByte(0x71);
    }
}
