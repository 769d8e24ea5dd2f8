package hostkeys

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"syscall"
	"time"
)

// whyNoKey says why host:port gave no host key, and what to do about it: ssh-keyscan
// itself prints nothing for a refused or unanswered connection, so this connects once
// more and names what failed.
func whyNoKey(ctx context.Context, host string, port int, timeout time.Duration) string {
	addr := net.JoinHostPort(host, strconv.Itoa(port))
	conn, err := (&net.Dialer{Timeout: timeout}).DialContext(ctx, "tcp", addr)
	if err == nil {
		conn.Close()
		return fmt.Sprintf("%s accepts connections but sent no SSH host key; check that port %d is sshd's", addr, port)
	}
	var dnsErr *net.DNSError
	var netErr net.Error
	switch {
	case errors.As(err, &dnsErr):
		return fmt.Sprintf("no such host %q; check the host name, or the HostName of its entry in ~/.ssh/config", host)
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Sprintf("connection refused: nothing listens on port %d of %s; check that sshd runs there and that the port is right", port, host)
	case errors.As(err, &netErr) && netErr.Timeout():
		return fmt.Sprintf("no answer within %s: %s is off, not reachable from this computer, or a firewall drops port %d", timeout, host, port)
	}
	return fmt.Sprintf("cannot connect (%v); check the address and this computer's network", err)
}
