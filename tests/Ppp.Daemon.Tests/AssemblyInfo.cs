// These tests start real daemons (and VMs) in network namespaces; two shared cores are
// better used one scenario at a time.
[assembly: NUnit.Framework.NonParallelizable]
