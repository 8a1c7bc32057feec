using System.Runtime.Versioning;

// These tests start real daemons (and VMs) in network namespaces; two shared cores are
// better used one scenario at a time.
[assembly: NUnit.Framework.NonParallelizable]

// The daemon, its peers and the tools that join them (ip netns, socat, pppd-vm) are Linux-only.
[assembly: SupportedOSPlatform("linux")]
