package voice_test

import (
	"errors"
	"testing"
	"time"

	"github.com/reqtrail/reqtrail/examples/customer-service/src/voice"
)

func menu() *voice.Node {
	return &voice.Node{
		Prompt: "查询话费余额请按 1，查询业务办理进度请按 2，人工服务请按 0",
		Options: map[string]*voice.Node{
			"1": {Prompt: "您的话费余额为…", Action: "balance"},
			"2": {Prompt: "请输入业务单号", Action: "order-status"},
		},
	}
}

// verifies REQ-0014: self-service without an agent, and 0 transfers from any level.
func Test_REQ_0014_self_service_and_transfer(t *testing.T) {
	root := menu()
	if err := voice.Validate(root); err != nil {
		t.Fatal(err)
	}
	n, transfer := voice.Step(root, "1")
	if transfer || n.Action != "balance" {
		t.Fatalf("key 1: node %+v, transfer %v", n, transfer)
	}
	if _, transfer := voice.Step(n, "0"); !transfer {
		t.Fatal("key 0 on the second level does not transfer to an agent")
	}
}

// verifies REQ-0014: menus deeper than three levels are refused.
func Test_REQ_0014_menu_depth_limit(t *testing.T) {
	deep := &voice.Node{Options: map[string]*voice.Node{
		"1": {Options: map[string]*voice.Node{
			"1": {Options: map[string]*voice.Node{
				"1": {Action: "too-deep"},
			}},
		}},
	}}
	if err := voice.Validate(deep); !errors.Is(err, voice.ErrTooDeep) {
		t.Fatalf("Validate(4 levels) = %v, want ErrTooDeep", err)
	}
}

// verifies REQ-0015: a call-back is offered above 3 minutes of expected wait.
func Test_REQ_0015_offer_threshold(t *testing.T) {
	if voice.OfferCallback(3 * time.Minute) {
		t.Error("offered at exactly 3 minutes")
	}
	if !voice.OfferCallback(3*time.Minute + time.Second) {
		t.Error("not offered above 3 minutes")
	}
}

// verifies REQ-0015: accepting a call-back keeps the caller's position; this
// is the case the customer rejected in the first acceptance run.
func Test_REQ_0015_callback_keeps_position(t *testing.T) {
	var q voice.Queue
	t0 := time.Date(2024, 11, 5, 10, 0, 0, 0, time.UTC)
	q.Join(voice.Caller{Number: "+44 20 7946 0001", Arrived: t0})
	q.Join(voice.Caller{Number: "+44 20 7946 0002", Arrived: t0.Add(time.Minute)})
	q.Join(voice.Caller{Number: "+44 20 7946 0003", Arrived: t0.Add(2 * time.Minute)})

	if !q.AcceptCallback("+44 20 7946 0001", "") {
		t.Fatal("caller not found")
	}
	first, _ := q.Next()
	if first.Number != "+44 20 7946 0001" || first.Callback != "+44 20 7946 0001" {
		t.Fatalf("first served = %+v, want the call-back caller with their own number", first)
	}
}

// verifies REQ-0015: the caller may enter another number to be called on.
func Test_REQ_0015_callback_on_other_number(t *testing.T) {
	var q voice.Queue
	q.Join(voice.Caller{Number: "+44 20 7946 0005"})
	q.AcceptCallback("+44 20 7946 0005", "+44 7700 900123")
	c, _ := q.Next()
	if c.Callback != "+44 7700 900123" {
		t.Fatalf("call-back number = %q", c.Callback)
	}
}
