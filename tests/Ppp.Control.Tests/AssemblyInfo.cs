using System.Runtime.Versioning;

// Unix-domain sockets with file modes: the daemon is Linux-only.
[assembly: SupportedOSPlatform("linux")]
