namespace Ppp.Core.Fsm;
