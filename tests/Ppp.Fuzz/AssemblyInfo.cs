using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Ppp.Chat.Tests")]
