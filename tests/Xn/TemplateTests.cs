// Templates: registration verifies the owns UDF (refusals are error codes, never a crash),
// refuses one that claims blocks in an empty block, stores it on disk, and mount reads it back.
using Xunit;
using ExoSharp.Abi;
using ExoSharp.Executive.Bytecode;
using ExoSharp.Xn;

namespace ExoSharp.Tests.Xn
{
    public class TemplateTests
    {
        [Fact]
        public void RegisteredTemplatesGetTypesFromOne()
        {
            var rig = new Rig();
            Assert.NotNull(rig.Xn.TemplateOf(rig.InodeType));
            Assert.Null(rig.Xn.TemplateOf(0));
            Assert.Null(rig.Xn.TemplateOf(3));
        }

        [Fact]
        public void AProgramTheVerifierRefusesIsRefused()
        {
            var rig = new Rig(fileSystem: false);
            var loop = new[] { Instruction.Statement(Opcode.Jmp | Opcode.Ja, 0xFFFFFFFF), Instruction.Statement(Udfs.RetK, 0) };
            Assert.Equal(Error.ProgramRefused, rig.Xn.RegisterTemplate(loop, out _, out _));
            var pastBlock = new[] { Instruction.Statement(Udfs.LdCtxW, 4094), Instruction.Statement(Udfs.RetK, 0) };
            Assert.Equal(Error.ProgramRefused, rig.Xn.RegisterTemplate(pastBlock, out _, out _));
            Assert.Equal(Error.ProgramRefused, rig.Xn.RegisterTemplate(Array.Empty<Instruction>(), out _, out _));
        }

        [Fact]
        public void ATooLongProgramIsOverBudget()
        {
            var rig = new Rig(fileSystem: false);
            var code = Enumerable.Repeat(Instruction.Statement(Udfs.LdImm, 0), XnLayout.MaxTemplateInstructions).Append(Instruction.Statement(Udfs.RetK, 0)).ToArray();
            Assert.Equal(Error.OverBudget, rig.Xn.RegisterTemplate(code, out _, out _));
        }

        [Fact]
        public void AProgramThatClaimsBlocksInAnEmptyBlockLies()
        {
            var rig = new Rig(fileSystem: false);
            Assert.Equal(Error.UdfLied, rig.Xn.RegisterTemplate(Udfs.Constant(100), out _, out _));
        }

        [Fact]
        public void AllocatingATypeWaitsForItsTemplateOnDisk()
        {
            var rig = new Rig();
            Assert.Equal((Error)0, rig.Xn.RegisterTemplate(Udfs.ExtentList(4), out uint list, out _));
            Assert.False(rig.Xn.IsTemplateDurable(list));
            uint inode = 0;
            Assert.Equal((Error)0, rig.CreateFile(rig.Root, 0, out inode));
            uint block = rig.NextFree();
            Assert.Equal(Error.NoSuchType, rig.Xn.Alloc(Rig.Owner, inode, Rig.PointerOffset(0), Udfs.Word(block), block, 1, list));
            rig.Flush();
            Assert.True(rig.Xn.IsTemplateDurable(list));
        }

        [Fact]
        public void MountReadsTemplatesBack()
        {
            var rig = new Rig();
            rig.Flush();
            rig.Remount();
            Assert.True(rig.Report.IsConsistent);
            Assert.Equal(2, rig.Report.Templates);
            Assert.Equal(Udfs.Inode(), rig.Xn.TemplateOf(1).Program);
            Assert.Equal(Udfs.Directory(1, 2), rig.Xn.TemplateOf(2).Program);
        }

        [Fact]
        public void ALongTemplateSpansItsSlot()
        {
            var rig = new Rig();
            Instruction[] program = Udfs.ExtentList(200);
            Assert.True(program.Length > (XnLayout.BlockSize - XnLayout.TemplateHeader) / 8);
            Assert.Equal((Error)0, rig.Xn.RegisterTemplate(program, out uint type, out _));
            rig.Flush();
            rig.Remount();
            Assert.Equal(program, rig.Xn.TemplateOf(type).Program);
        }

        [Fact]
        public void ACorruptTemplateOnDiskIsReported()
        {
            var rig = new Rig();
            rig.Flush();
            byte[] raw = rig.Disk.Raw(XnLayout.TemplateBlock(1));
            BitConverter.GetBytes(100000u).CopyTo(raw, XnLayout.TemplateLengthOffset);
            rig.Remount();
            Assert.Contains(rig.Report.Problems.ToArray(), p => p.Error == Error.OverBudget && p.Block == XnLayout.TemplateBlock(1));
            Assert.Null(rig.Xn.TemplateOf(1));
        }

        [Fact]
        public void TheTemplateTableFills()
        {
            var rig = new Rig(fileSystem: false);
            for (int i = 0; i < XnLayout.MaxTemplates; i++) Assert.Equal((Error)0, rig.Xn.RegisterTemplate(Udfs.Inode(), out _, out _));
            Assert.Equal(Error.TableFull, rig.Xn.RegisterTemplate(Udfs.Inode(), out _, out _));
        }
    }
}
