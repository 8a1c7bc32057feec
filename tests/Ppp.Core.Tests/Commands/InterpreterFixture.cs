using NUnit.Framework;
using Microsoft.Extensions.Logging;
using Ppp.Core.Commands;
using Ppp.Core.Config;
using Ppp.Core.Tests.Support;

namespace Ppp.Core.Tests.Commands;

/// <summary>An interpreter over fresh settings, a fake runtime (or none) and in-memory files.</summary>
internal sealed class InterpreterFixture
{
    public InterpreterFixture(bool withRuntime = true, Dictionary<string, string>? files = null)
    {
        Files = files ?? [];
        Runtime = withRuntime ? new FakeBundleRuntime() : null;
        Interpreter = new CommandInterpreter(Settings, Runtime, Logs, new CommandInterpreterOptions
        {
            ConfigPath = "/etc/ppp/ppp.conf",
            ReadFile = p => Files.TryGetValue(p, out string? text) ? text : null,
        });
    }

    public BundleSettings Settings { get; } = new();

    public FakeBundleRuntime? Runtime { get; }

    public CapturingLoggerFactory Logs { get; } = new();

    public Dictionary<string, string> Files { get; }

    public CommandInterpreter Interpreter { get; }

    public StringWriter Output { get; } = new();

    public CommandResult Run(string line) => Interpreter.Execute(line, CommandOrigin.Prompt, Output);

    public string? Error(string line) => Run(line).Error;

    /// <summary>Runs a line that must succeed.</summary>
    public void Ok(string line)
    {
        var result = Run(line);
        if (!result.Success)
            Assert.Fail($"\"{line}\" failed: {result.Error}");
    }
}
