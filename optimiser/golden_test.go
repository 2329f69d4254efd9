package optimiser_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/optimiser"
	"github.com/rounds-dev/rounds/roster"
	"github.com/rounds-dev/rounds/synth"
)

var updateGolden = flag.Bool("update", false, "rewrite testdata/golden/solve.json from the current optimiser")

// goldenPath holds, per case, the digest of the plan the optimiser makes.
const goldenPath = "testdata/golden/solve.json"

// goldenDigest is what a golden case pins of a plan: the objective to the
// last bit (as a hexadecimal float), the visits served and left, and a hash
// of the rounds, the unassigned visits and the KPIs. The solver's elapsed
// time is left out: it differs from run to run.
type goldenDigest struct {
	Objective  string `json:"objective"`
	ObjectiveG string `json:"objective_decimal"`
	Served     int    `json:"served"`
	Unserved   int    `json:"unserved"`
	Plan       string `json:"plan_sha256"`
}

// fractionalWeights have no whole-number products, so that a change in the
// order in which the objective's parts are added shows in the last bits.
var fractionalWeights = optimiser.Weights{Travel: 0.7, Lateness: 1.3, CarerUsed: 1234.5, NotPreferred: 310.1, Language: 605.3, Waiting: 0.37, MaxLateness: 2.9}

// goldenCase is one solve whose plan must not change while the optimiser is
// reshaped.
type goldenCase struct {
	name       string
	instance   func(t *testing.T) *roster.Instance
	weights    *optimiser.Weights
	iterations int
}

func fromFile(path string) func(t *testing.T) *roster.Instance {
	return func(t *testing.T) *roster.Instance { return loadDay(t, path) }
}

// generatedDay is a synthetic day with split shifts, working-time caps and
// rest breaks (synth gives them to its carers), and tied visits.
func generatedDay(t *testing.T) *roster.Instance {
	cfg := synth.DefaultConfig()
	cfg.Seed = 7
	cfg.Visits = 120
	in, err := synth.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func goldenCases() []goldenCase {
	return []goldenCase{
		{"small_day", fromFile("../testdata/small_day.json"), nil, 3000},
		{"locality_day", fromFile("../testdata/locality_day.json"), nil, 3000},
		{"locality_day_fractional_weights", fromFile("../testdata/locality_day.json"), &fractionalWeights, 3000},
		{"locality_day_300", fromFile("../testdata/locality_day_300.json"), nil, 3000},
		// Mankowska's small instance converted by bench/mankowska: a
		// simultaneous and a sequential double service, soft windows
		// and the benchmark's weights.
		{"mankowska_uniform", fromFile("testdata/golden/mankowska_uniform.json"),
			&optimiser.Weights{Travel: 1, Lateness: 60, MaxLateness: 60}, 3000},
		{"generated_120", generatedDay, nil, 3000},
	}
}

// travelFor is the instance's travel as the command line would get it
// without a configured provider: its own matrices, else straight lines.
func travelFor(t *testing.T, in *roster.Instance) roster.Travel {
	tr, err := geo.TravelFor(context.Background(), nil, in)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func digest(t *testing.T, pl *roster.Plan) goldenDigest {
	h := sha256.New()
	for _, part := range []any{pl.Rounds, pl.Unassigned, pl.KPIs} {
		b, err := json.Marshal(part)
		if err != nil {
			t.Fatal(err)
		}
		h.Write(b)
		h.Write([]byte{'\n'})
	}
	served := 0
	for _, r := range pl.Rounds {
		served += len(r.Stops)
	}
	return goldenDigest{
		Objective:  strconv.FormatFloat(pl.Solver.Objective, 'x', -1, 64),
		ObjectiveG: strconv.FormatFloat(pl.Solver.Objective, 'g', -1, 64),
		Served:     served,
		Unserved:   len(pl.Unassigned),
		Plan:       hex.EncodeToString(h.Sum(nil)),
	}
}

// TestGoldenPlans solves fixed days with a fixed seed, one worker and a
// bounded number of iterations, and compares each plan with the digest
// recorded in testdata/golden/solve.json: the same objective to the last
// bit, the same visits served (stops counted per carer) and the same
// rounds. It guards changes meant to reshape the optimiser without
// changing what it does; run with -update to record a deliberate change.
func TestGoldenPlans(t *testing.T) {
	want := map[string]goldenDigest{}
	if !*updateGolden {
		b, err := os.ReadFile(goldenPath)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatalf("%s: %v", goldenPath, err)
		}
	}
	got := map[string]goldenDigest{}
	for _, c := range goldenCases() {
		t.Run(c.name, func(t *testing.T) {
			in := c.instance(t)
			travel := travelFor(t, in)
			// The time limit is far beyond what the iterations take, so
			// that the iteration bound alone ends the run.
			pl, err := optimiser.Solve(context.Background(), in, travel, optimiser.Options{
				Seed: 1, Workers: 1, Iterations: c.iterations, TimeLimit: time.Hour, Weights: c.weights,
			})
			if err != nil {
				t.Fatal(err)
			}
			if pl.Solver.Iterations != c.iterations {
				t.Fatalf("ran %d iterations, want %d", pl.Solver.Iterations, c.iterations)
			}
			checked(t, in, travel, pl)
			d := digest(t, pl)
			got[c.name] = d
			if *updateGolden {
				return
			}
			w, ok := want[c.name]
			if !ok {
				t.Fatalf("no golden digest; run with -update")
			}
			if d != w {
				t.Errorf("plan changed:\n got %+v\nwant %+v", d, w)
			}
		})
	}
	if *updateGolden && !t.Failed() {
		b, err := json.MarshalIndent(got, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(goldenPath, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
