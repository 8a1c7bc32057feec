pppd-vm start --name server --secret 'alice srv s3cret *' -- debug noauth 192.168.77.1:192.168.77.2
pppd-vm start --name client --secret 'alice srv s3cret *' -- debug noauth
socat -r noauth.s2c.bin -R noauth.c2s.bin SERVER_PTY,raw,echo=0 CLIENT_PTY,raw,echo=0
