pppd-vm start --name server --secret 'alice srv s3cret *' -- debug require-chap name srv 192.168.77.1:192.168.77.2
pppd-vm start --name client --secret 'alice srv s3cret *' -- debug noauth user alice remotename srv
socat -r chap-md5.s2c.bin -R chap-md5.c2s.bin SERVER_PTY,raw,echo=0 CLIENT_PTY,raw,echo=0
