package site

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// serve answers only requests addressed to this machine's loopback names (DNS rebinding).
func TestServeRefusesForeignHost(t *testing.T) {
	s := &Server{}
	f := NewFiles()
	if err := f.WriteFile("index.html", []byte("<p>site</p>")); err != nil {
		t.Fatal(err)
	}
	s.Set(f)
	s.Listening("127.0.0.1:8080")
	for host, want := range map[string]int{
		"127.0.0.1:8080":        http.StatusOK,
		"localhost:8080":        http.StatusOK,
		"LOCALHOST.:8080":       http.StatusOK,
		"[::1]:8080":            http.StatusOK,
		"evil.example:8080":     http.StatusMisdirectedRequest,
		"evil.example":          http.StatusMisdirectedRequest,
		"127.0.0.1:9999":        http.StatusMisdirectedRequest,
		"127.0.0.1.nip.io:8080": http.StatusMisdirectedRequest,
		"":                      http.StatusMisdirectedRequest,
		"192.168.1.5:8080":      http.StatusMisdirectedRequest,
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Host = host
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code != want {
			t.Errorf("Host %q: %d, want %d", host, w.Code, want)
		}
	}
	// Listening on a given address also accepts that address.
	s.Listening("192.168.1.5:8080")
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Host = "192.168.1.5:8080"
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if w.Code != http.StatusOK {
		t.Errorf("listen address: %d", w.Code)
	}
}
