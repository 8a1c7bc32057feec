using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;
using Ppp.Core.Commands;
using Ppp.Core.Config;

namespace Ppp.Daemon.Tests.Supervision;

/// <summary>Settings made by the real <c>set</c> commands, so the policy is tested on what users type.</summary>
internal static class SettingsLines
{
    public static BundleSettings Apply(BundleSettings settings, params string[] lines)
    {
        var interpreter = new CommandInterpreter(settings, null, NullLoggerFactory.Instance);
        foreach (string line in lines)
        {
            var result = interpreter.Execute(line, CommandOrigin.Prompt, TextWriter.Null);
            Assert.That(result.Success, Is.True, $"{line}: {result.Error}");
        }
        return settings;
    }

    public static BundleSettings From(params string[] lines) => Apply(new BundleSettings(), lines);
}
