namespace Ppp.ModemSim.At;

/// <summary>One 3GPP TS 27.007 PDP context as AT+CGDCONT defines it.</summary>
internal sealed record PdpContext(int Cid, string PdpType, string Apn);
