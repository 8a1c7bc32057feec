using System.Runtime.Versioning;

// The package tests install and remove a Debian package on this machine, and the man-page and
// completion tests share built files: one at a time.
[assembly: NUnit.Framework.NonParallelizable]

// dpkg, apt, man, bash: Debian.
[assembly: SupportedOSPlatform("linux")]
