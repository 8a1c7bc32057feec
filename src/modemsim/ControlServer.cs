using System.Net.Sockets;
using System.Text;

namespace Ppp.ModemSim;

/// <summary>
/// The control socket: a Unix stream socket taking one command per line and answering one line
/// ("OK ..." or "ERROR ..."): status, reset, drop, silence, dial RESULT[:N], ignore N,
/// cgdcont-error on|off. Tests drive failures through it while the modem runs.
/// </summary>
internal sealed class ControlServer : IDisposable
{
    private static readonly TimeSpan s_answerLimit = TimeSpan.FromSeconds(30);
    private readonly Socket _listener;
    private readonly Modem _modem;
    private readonly SimLog _log;
    private readonly Thread _acceptor;

    private ControlServer(string path, Socket listener, Modem modem, SimLog log)
    {
        Path = path;
        _listener = listener;
        _modem = modem;
        _log = log;
        _acceptor = new Thread(Accept) { IsBackground = true, Name = "control" };
    }

    public string Path { get; }

    public static ControlServer Start(string path, Modem modem, SimLog log)
    {
        // A socket file left by a killed simulator would make bind fail.
        File.Delete(path);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(4);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        var server = new ControlServer(path, listener, modem, log);
        server._acceptor.Start();
        return server;
    }

    private void Accept()
    {
        while (true)
        {
            Socket client;
            try
            {
                client = _listener.Accept();
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return;
            }

            new Thread(() => Serve(client)) { IsBackground = true, Name = "control client" }.Start();
        }
    }

    private void Serve(Socket client)
    {
        try
        {
            using var stream = new NetworkStream(client, ownsSocket: true);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
            while (reader.ReadLine() is string line)
            {
                if (line.Length > 256)
                {
                    writer.WriteLine("ERROR line too long");
                    continue;
                }

                Task<string> answer = _modem.Control(line);
                writer.WriteLine(answer.Wait(s_answerLimit) ? answer.Result : "ERROR the modem did not answer in time");
            }
        }
        catch (IOException ex)
        {
            _log.Info($"control client gone: {ex.Message}");
        }
    }

    public void Dispose()
    {
        _listener.Dispose();
        File.Delete(Path);
    }
}
