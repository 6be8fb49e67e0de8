package fakeanytype

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
)

const hugeBodySize = 64 << 20

var faultNames = [...]string{"none", "500-create", "500-solve", "html-502", "huge-body", "reset-mid-body", "garbage-json", "hang"}

func (f Fault) String() string {
	if f >= 0 && int(f) < len(faultNames) {
		return faultNames[f]
	}
	return "fault-" + strconv.Itoa(int(f))
}

// serveFault answers r as fault f says and reports whether it did. The
// per-route faults (Fault500Create, Fault500Solve) are handled by the routes.
func (s *Server) serveFault(w http.ResponseWriter, r *http.Request, f Fault) bool {
	switch f {
	case FaultHTML502:
		// What a proxy or captive portal in front of the port would say.
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		io.WriteString(w, "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>\n")
	case FaultHugeBody:
		s.setVersion(w)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, `{"challenge_id":"`)
		chunk := bytes.Repeat([]byte("a"), 32<<10)
		for n := 0; n < hugeBodySize; n += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return true // the client stopped reading
			}
		}
		io.WriteString(w, `"}`)
	case FaultResetMidBody:
		s.resetMidBody(w)
	case FaultGarbageJSON:
		s.setVersion(w)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, "{\"challenge_id\": \x00\xff,, \"api_key\": [}")
	case FaultHang:
		select {
		case <-r.Context().Done():
		case <-s.closed:
		}
	default:
		return false
	}
	return true
}

func (s *Server) setVersion(w http.ResponseWriter) {
	if !s.cfg.Oldest {
		w.Header().Set("Anytype-Version", s.cfg.Version)
	}
}

// resetMidBody promises a body, sends half of it, then resets the TCP
// connection (RST through SO_LINGER 0) instead of closing it cleanly.
func (s *Server) resetMidBody(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("fakeanytype: FaultResetMidBody needs a hijackable connection")
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	version := ""
	if !s.cfg.Oldest {
		version = "Anytype-Version: " + s.cfg.Version + "\r\n"
	}
	fmt.Fprintf(buf, "HTTP/1.1 201 Created\r\nContent-Type: application/json; charset=utf-8\r\n%sContent-Length: 4096\r\n\r\n{\"challenge_id\":\"0123", version)
	buf.Flush()
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
}
