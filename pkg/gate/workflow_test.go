package gate

import "testing"

func TestLegal(t *testing.T) {
	cases := []struct {
		from, to string
		want     bool
	}{
		{"new", "analysis", true}, {"new", "review", true}, {"new", "approved", true},
		{"review", "development", false}, {"new", "released", false}, {"analysis", "closed", false},
		{"approved", "development", true}, {"approved", "released", true}, {"testing", "closed", true},
		{"released", "analysis", true}, {"closed", "new", true},
		{"testing", "rejected", true}, {"new", "deferred", true}, {"deferred", "analysis", true},
		{"rejected", "approved", false}, {"deferred", "new", false}, {"rejected", "deferred", true},
		{"closed", "closed", true}, {"released", "closed", true}, {"review", "testing", false},
	}
	for _, c := range cases {
		if got := Legal(c.from, c.to); got != c.want {
			t.Errorf("Legal(%s, %s) = %v, want %v", c.from, c.to, got, c.want)
		}
	}
}

func TestBaselined(t *testing.T) {
	for s, want := range map[string]bool{"new": false, "analysis": false, "review": false, "deferred": false,
		"rejected": false, "approved": true, "development": true, "closed": true, "": true, "aproved": true} {
		if got := Baselined(s); got != want {
			t.Errorf("Baselined(%q) = %v, want %v", s, got, want)
		}
	}
}
