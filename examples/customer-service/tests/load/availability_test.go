//go:build load

// Fail-over and soak tests against the staging cluster. They run nightly
// with: go test -tags load ./tests/load -staging=https://staging.example
//
// verifies REQ-0025: together with the probe data these results are the
// input of the availability analysis.
package load

import (
	"flag"
	"net/http"
	"testing"
	"time"
)

var staging = flag.String("staging", "", "base URL of the staging cluster")

func probe(t *testing.T, url string, every time.Duration, n int) (failures int) {
	t.Helper()
	client := &http.Client{Timeout: 2 * time.Second}
	for i := 0; i < n; i++ {
		resp, err := client.Get(url)
		if err != nil || resp.StatusCode >= 500 {
			failures++
		}
		if resp != nil {
			resp.Body.Close()
		}
		time.Sleep(every)
	}
	return failures
}

// Test_REQ_0025_zone_failover: while the chaos job stops one availability
// zone, ongoing chats keep working.
func Test_REQ_0025_zone_failover(t *testing.T) {
	if *staging == "" {
		t.Skip("no -staging URL")
	}
	if f := probe(t, *staging+"/api/chat/health", time.Second, 600); f > 0 {
		t.Fatalf("%d failed probes during zone fail-over", f)
	}
}

// Test_REQ_0025_rolling_deploy: planned maintenance needs no downtime.
func Test_REQ_0025_rolling_deploy(t *testing.T) {
	if *staging == "" {
		t.Skip("no -staging URL")
	}
	if f := probe(t, *staging+"/console/health", time.Second, 900); f > 0 {
		t.Fatalf("%d failed probes during rolling deploy", f)
	}
}
