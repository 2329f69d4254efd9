package roster_test

import (
	"os"
	"strings"
	"testing"

	"github.com/rounds-dev/rounds/roster"
)

func smallDay(t *testing.T) *roster.Instance {
	t.Helper()
	f, err := os.Open("../testdata/small_day.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	in, err := roster.DecodeInstance(f)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// handPlan is a plan of small_day as a coordinator might leave it: K3
// (no medication) has V01 (medication), K1 has V06 (whose client declines
// K1), K2 has V02 at 08:00 and V04 at 11:00 (after its window, hard), and
// K1 alone has V05 (double-handed).
func handPlan() *roster.Plan {
	stop := func(v string, start roster.Clock) roster.Stop { return roster.Stop{Visit: v, Start: start} }
	return &roster.Plan{Instance: "Small hand-checked day", Rounds: []roster.Round{
		{Carer: "K3", Stops: []roster.Stop{stop("V01", 8*3600)}},
		{Carer: "K1", Stops: []roster.Stop{stop("V06", 10*3600), stop("V05", 9*3600+1800)}},
		{Carer: "K2", Stops: []roster.Stop{stop("V02", 8*3600), stop("V04", 11*3600)}},
	}}
}

// TestPinConflicts: each pin no re-plan could keep is refused at its place
// under changes.pins, saying why; a pin that can be kept is not.
func TestPinConflicts(t *testing.T) {
	in := smallDay(t)
	for _, c := range []struct {
		name string
		ch   roster.Changes
		path string // "" for no problem
		want string
	}{
		{"a pin that holds", roster.Changes{Pins: []roster.Pin{{Visit: "V02", KeepTime: true}}}, "", ""},
		{"unknown visit", roster.Changes{Pins: []roster.Pin{{Visit: "V99"}}}, "changes.pins[0].visit", `no visit "V99"`},
		{"pinned twice", roster.Changes{Pins: []roster.Pin{{Visit: "V02"}, {Visit: "V02"}}}, "changes.pins[1].visit", "pinned already, at changes.pins[0]"},
		{"not served", roster.Changes{Pins: []roster.Pin{{Visit: "V03"}}}, "changes.pins[0].visit", "does not serve visit V03"},
		{"a skill lacking", roster.Changes{Pins: []roster.Pin{{Visit: "V01"}}}, "changes.pins[0]", `lack the skill "medication"`},
		{"a declined carer", roster.Changes{Pins: []roster.Pin{{Visit: "V06"}}}, "changes.pins[0]", "declines them"},
		{"one carer of two", roster.Changes{Pins: []roster.Pin{{Visit: "V05"}}}, "changes.pins[0]", "needs 2 carers"},
		{"cancelled", roster.Changes{RemoveVisits: []string{"V02"}, Pins: []roster.Pin{{Visit: "V02"}}}, "changes.pins[0]", "cancelled"},
		{"carer taken off", roster.Changes{RemoveCarers: []string{"K2"}, Pins: []roster.Pin{{Visit: "V02"}}}, "changes.pins[0]", "taken off"},
		{"carer off", roster.Changes{CarersOff: []roster.CarerOff{{Carer: "K2", From: in.Date}}, Pins: []roster.Pin{{Visit: "V02"}}}, "changes.pins[0]", "is off on"},
		{"client away", roster.Changes{ClientsAway: []roster.ClientAway{{Client: "C2", From: in.Date}}, Pins: []roster.Pin{{Visit: "V02"}}}, "changes.pins[0]", "is away on"},
		{"time outside a hard window", roster.Changes{Pins: []roster.Pin{{Visit: "V04", KeepTime: true}}}, "changes.pins[0].keep_time", "outside its windows"},
		{"carers kept, time not", roster.Changes{Pins: []roster.Pin{{Visit: "V04"}}}, "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.ch.PinConflicts(in, handPlan())
			if c.path == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			fes, ok := err.(roster.FieldErrors)
			if !ok || len(fes) == 0 || fes[0].Path != c.path || !strings.Contains(fes[0].Reason, c.want) {
				t.Fatalf("got %v; want %s: ...%s...", err, c.path, c.want)
			}
		})
	}
}

// TestCheckPins: the pin check passes a plan that keeps every pin and
// names each one broken at the stop, or at unassigned for a visit not
// served.
func TestCheckPins(t *testing.T) {
	in := smallDay(t)
	prev := handPlan()
	pins := []roster.Pin{{Visit: "V02", KeepTime: true}, {Visit: "V04"}}
	if vs := roster.CheckPins(in, prev, prev, pins); len(vs) > 0 {
		t.Fatalf("the plan itself breaks its pins: %v", vs)
	}
	moved := handPlan()
	moved.Rounds[2].Stops[0].Start += 60                                            // V02 a minute later
	moved.Rounds[0].Stops = append(moved.Rounds[0].Stops, moved.Rounds[2].Stops[1]) // V04 to K3
	moved.Rounds[2].Stops = moved.Rounds[2].Stops[:1]
	vs := roster.CheckPins(in, prev, moved, pins)
	want := []string{"rounds[2].stops[0].start", "rounds[0].stops[1]"}
	if len(vs) != len(want) {
		t.Fatalf("%d violations, want %d: %v", len(vs), len(want), vs)
	}
	for i, v := range vs {
		if v.Code != "pin" || v.Path != want[i] {
			t.Errorf("violation %d is %s at %s; want pin at %s", i, v.Code, v.Path, want[i])
		}
	}
	gone := handPlan()
	gone.Rounds = gone.Rounds[:2]
	if vs := roster.CheckPins(in, prev, gone, pins); len(vs) != 2 || vs[0].Path != "unassigned" {
		t.Fatalf("unserved pins: %v", vs)
	}
}
