// The tun and netlink tests each make their own network namespace; the tty tests their own
// pty pairs. Running fixtures one at a time keeps the root-only kernel state easy to reason about.
[assembly: NUnit.Framework.NonParallelizable]
