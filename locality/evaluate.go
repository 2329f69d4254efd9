package locality

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/roster"
)

// EvaluateOptions steer Evaluate.
type EvaluateOptions struct {
	// Name names the option in the report; empty gives "option".
	Name string
	// Size steers the sizing of each locality. Its Workers is set to 1
	// (localities run side by side instead) and its Progress is
	// Evaluate's own.
	Size SizeOptions
	// Workers is how many localities are sized at once; 0 or less gives 1.
	Workers int
	// Viability is the range of weekly hours a provider can run; the
	// zero value gives DefaultViability.
	Viability Viability
	// Progress, when set, is told when a locality starts or finishes and
	// of each solve. Calls never overlap.
	Progress func(EvaluateProgress)
}

// EvaluateProgress is how far an evaluation has gone.
type EvaluateProgress struct {
	// Done of Total localities are sized (empty ones count at once).
	Done, Total int
	// Solves counts the optimiser runs so far, over every locality.
	Solves int
	// Locality is the locality the report is about, What what happened
	// there.
	Locality, What string
	Elapsed        time.Duration
}

// Evaluation is a boundary option evaluated: one row a locality, in the
// boundaries' order, then an "unallocated" row when some client lies in no
// locality.
type Evaluation struct {
	Option
	// Sizings holds each locality's sizing, nil for a locality without
	// clients.
	Sizings []*Sizing
	// Clients holds the indexes, in the district, of each locality's
	// clients; Unallocated those of the clients in none.
	Clients     [][]int
	Unallocated []int
	// Warnings say what a reader should know: clients in no locality,
	// localities without clients.
	Warnings []string
	// MaxOverMin and CV are the balance of the localities' weekly hours
	// (Balance).
	MaxOverMin, CV float64
	// Solves counts the optimiser runs; Elapsed is the evaluation's time.
	Solves  int
	Elapsed time.Duration
}

// UnallocatedName names the row of the clients who lie in no locality.
const UnallocatedName = "unallocated"

// Evaluate allocates the district's clients to the boundaries and sizes
// each locality with Size, opts.Workers localities at a time (the largest
// first), each solve on one worker. The report's rows carry each
// locality's figures and Polsby–Popper compactness. Clients in no locality
// are never dropped: they make an explicit unallocated row (demand only)
// and a warning. A locality without clients makes a row of zeros with a
// note. A client whose calls cannot make a day (no calls, no hours, a call
// too long for its shift) or a supply out of range is refused as
// roster.FieldErrors before any solve; a failed sizing is returned with its
// locality's name, and stops the others.
func Evaluate(ctx context.Context, d *District, b *Boundaries, supply Supply, travel geo.Provider, opts EvaluateOptions) (*Evaluation, error) {
	start := time.Now()
	if d == nil || len(d.Clients) == 0 {
		return nil, roster.FieldError{Path: "clients", Reason: "the district has no clients"}
	}
	if b == nil || b.Len() == 0 {
		return nil, roster.FieldError{Path: "features", Reason: "there are no localities"}
	}
	if err := CheckSupply(supply); err != nil {
		return nil, roster.FieldError{Path: "supply", Reason: "locality: " + err.Error()}
	}
	if err := checkDays(d.Clients, true); err != nil {
		return nil, err
	}
	if opts.Name == "" {
		opts.Name = "option"
	}
	if opts.Viability == (Viability{}) {
		opts.Viability = DefaultViability
	}
	workers := max(opts.Workers, 1)

	byLoc, unalloc := b.Allocate(d.Clients)
	ev := &Evaluation{
		Option:      Option{Name: opts.Name, Rows: make([]Row, b.Len())},
		Sizings:     make([]*Sizing, b.Len()),
		Clients:     byLoc,
		Unallocated: unalloc,
	}
	subset := func(idx []int) []Client {
		out := make([]Client, len(idx))
		for i, c := range idx {
			out[i] = d.Clients[c]
		}
		return out
	}
	compact := b.Compactness()

	var mu sync.Mutex // guards done, solves and the progress callback
	done, solves := 0, 0
	report := func(name, what string) {
		if opts.Progress != nil {
			opts.Progress(EvaluateProgress{Done: done, Total: b.Len(), Solves: solves, Locality: name, What: what, Elapsed: time.Since(start)})
		}
	}
	var order []int
	for i := range byLoc {
		if len(byLoc[i]) == 0 {
			ev.Rows[i] = RowOf(b.Names[i], nil, nil, opts.Viability)
			ev.Rows[i].Note = "no clients lie in this locality"
			ev.Warnings = append(ev.Warnings, fmt.Sprintf("locality %q holds no clients", b.Names[i]))
			done++
			continue
		}
		order = append(order, i)
	}
	// The largest localities first, so that the last to finish are small.
	hours := make([]float64, b.Len())
	for i, idx := range byLoc {
		for _, c := range idx {
			hours[i] += d.Clients[c].WeeklyHours
		}
	}
	sort.SliceStable(order, func(x, y int) bool { return hours[order[x]] > hours[order[y]] })
	mu.Lock()
	report("", "starting")
	mu.Unlock()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan int)
	var wg sync.WaitGroup
	var firstErr error
	for range min(workers, max(len(order), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				clients := subset(byLoc[i])
				so := opts.Size
				so.Workers = 1
				name := b.Names[i]
				so.Progress = func(_, _ int, what string) {
					mu.Lock()
					defer mu.Unlock()
					if !strings.HasSuffix(what, "carers needed") {
						solves++
					}
					report(name, what)
				}
				s, err := Size(ctx, clients, supply, travel, so)
				mu.Lock()
				if err != nil {
					if firstErr == nil {
						firstErr = fmt.Errorf("locality %q: %w", name, err)
					}
					cancel()
					mu.Unlock()
					continue
				}
				ev.Sizings[i] = s
				ev.Rows[i] = RowOf(name, clients, s, opts.Viability)
				done++
				report(name, fmt.Sprintf("%d carers needed", s.CarersNeeded))
				mu.Unlock()
			}
		}()
	}
feed:
	for _, i := range order {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for i := range ev.Rows {
		ev.Rows[i].Compactness = compact[i]
		if s := ev.Sizings[i]; s != nil {
			ev.Solves += s.Solves
		}
	}
	if len(unalloc) > 0 {
		u := RowOf(UnallocatedName, subset(unalloc), nil, opts.Viability)
		u.Unallocated, u.Viable = true, false
		u.Note = "clients in no locality: their demand only, not sized"
		ev.Rows = append(ev.Rows, u)
		who := fmt.Sprintf("%d clients (%.0f hours a week) lie", u.Clients, u.WeeklyHours)
		if u.Clients == 1 {
			who = fmt.Sprintf("1 client (%.0f hours a week) lies", u.WeeklyHours)
		}
		ev.Warnings = append(ev.Warnings, who+" in no locality")
	}
	ev.MaxOverMin, ev.CV = Balance(ev.Rows)
	ev.Elapsed = time.Since(start)
	return ev, nil
}

// checkDays refuses clients whose calls cannot make a representative day,
// each at its place in the district, the client's id after the index when
// withID is set.
func checkDays(clients []Client, withID bool) error {
	var errs roster.FieldErrors
	for i := range clients {
		var in roster.Instance
		if e := addVisits(&in, i, &clients[i]); e != nil {
			errs = append(errs, e.fieldError(withID))
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}
