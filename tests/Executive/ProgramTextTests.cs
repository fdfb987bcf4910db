// Loading `tcpdump -dd` and `-ddd` text: both forms, hex and decimal, comments, and each error
// with its line.
using System.Text;
using ExoSharp.Executive.Bytecode;
using ExoSharp.Tools.FilterVerdicts;
using Xunit;

namespace ExoSharp.Tests.Executive
{
    public class ProgramTextTests
    {
        private static Instruction[] Parse(string text, out TextParseResult result) => ProgramText.Parse(Encoding.ASCII.GetBytes(text), out result);

        [Fact]
        public void DdForm()
        {
            Instruction[] program = Parse("{ 0x28, 0, 0, 0x0000000c },\n{ 0x15, 0, 1, 0x00000800 },\r\n\n{ 0x6, 0, 0, 0x00040000 },\n{ 0x6, 0, 0, 0x00000000 },\n", out var result);
            Assert.True(result.IsValid);
            Assert.Equal(4, program.Length);
            Assert.Equal(new Instruction(0x15, 0, 1, 0x800), program[1]);
            Assert.Equal(0x40000u, program[2].K);
        }

        [Fact]
        public void DddFormAndComments()
        {
            Instruction[] program = Parse("# ip\n4\n40 0 0 12\n21 0 1 2048\n6 0 0 262144\n6 0 0 0\n", out var result);
            Assert.True(result.IsValid);
            Assert.Equal(new Instruction(0x28, 0, 0, 12), program[0]);
            Assert.Equal(new Instruction(0x15, 0, 1, 2048), program[1]);
        }

        [Theory]
        [InlineData("", TextParseError.NoInstructions, 0)]
        [InlineData("{ 0x6, 0, 0 },\n", TextParseError.WrongFieldCount, 1)]
        [InlineData("{ 0x6, 0, 0, 0, 1 },\n", TextParseError.WrongFieldCount, 1)]
        [InlineData("{ 0x6, 0, 0, 0 },\n{ 0x6, 256, 0, 0 },\n", TextParseError.NumberTooLarge, 2)]
        [InlineData("{ 0x10000, 0, 0, 0 },\n", TextParseError.NumberTooLarge, 1)]
        [InlineData("{ 0x6, 0, 0, 0x100000000 },\n", TextParseError.NumberTooLarge, 1)]
        [InlineData("{ 0x6, 0, 0, 12abc },\n", TextParseError.BadCharacter, 1)]
        [InlineData("{ 0x6, 0, 0, -1 },\n", TextParseError.BadCharacter, 1)]
        [InlineData("{ 0x6, 0, 0, 0x },\n", TextParseError.BadCharacter, 1)]
        [InlineData("3\n6 0 0 0\n6 0 0 0\n", TextParseError.CountMismatch, 3)]
        [InlineData("1 2\n6 0 0 0\n", TextParseError.WrongFieldCount, 1)]
        [InlineData("5000\n", TextParseError.TooManyInstructions, 1)]
        public void Errors(string text, TextParseError error, int line)
        {
            Assert.Null(Parse(text, out var result));
            Assert.Equal(error, result.Error);
            Assert.Equal(line, result.Line);
            Assert.StartsWith("line " + line + ": ", result.Describe());
        }

        [Fact]
        public void OutputCapacityIsRespected()
        {
            var output = new Instruction[1];
            TextParseResult result = ProgramText.Parse(Encoding.ASCII.GetBytes("6 0 0 0\n6 0 0 0\n".Insert(0, "2\n")), output);
            Assert.Equal(TextParseError.TooManyInstructions, result.Error);
        }
    }
}
