using System.Runtime.Versioning;

// Each test has its own simulator and pty; chat(8) runs are timed by their scripts, and two
// shared cores are better used one at a time.
[assembly: NUnit.Framework.NonParallelizable]

// ptys, termios and chat(8) are Linux-only.
[assembly: SupportedOSPlatform("linux")]
