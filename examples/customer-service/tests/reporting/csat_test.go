package reporting_test

import (
	"testing"
	"time"

	"github.com/reqtrail/reqtrail/examples/customer-service/src/reporting"
)

// verifies REQ-0028: survey at close, at most once per customer in 7 days.
func Test_REQ_0028_survey_cooldown(t *testing.T) {
	closed := time.Date(2024, 9, 4, 15, 0, 0, 0, time.UTC)
	cases := []struct {
		last time.Time
		want bool
	}{
		{time.Time{}, true},
		{closed.Add(-6 * 24 * time.Hour), false},
		{closed.Add(-7 * 24 * time.Hour), true},
	}
	for _, c := range cases {
		if got := reporting.ShouldSurvey(c.last, closed); got != c.want {
			t.Errorf("ShouldSurvey(last=%v) = %v, want %v", c.last, got, c.want)
		}
	}
}

// verifies REQ-0028: ratings 1 to 5 with an optional comment.
func Test_REQ_0028_rating_range_and_comment(t *testing.T) {
	for score := 1; score <= 5; score++ {
		if err := reporting.Validate(reporting.Response{Score: score}); err != nil {
			t.Errorf("score %d refused: %v", score, err)
		}
	}
	for _, score := range []int{0, 6} {
		if err := reporting.Validate(reporting.Response{Score: score}); err == nil {
			t.Errorf("score %d accepted", score)
		}
	}
	r := reporting.Response{Score: 2, Comment: "等了太久 / waited too long"}
	if err := reporting.Validate(r); err != nil {
		t.Errorf("comment refused: %v", err)
	}
}
