// Every test file uses xunit's assertions.
global using Xunit;
