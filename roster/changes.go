package roster

import (
	"fmt"
	"slices"
)

// Changes are what happened to a planned day before it is re-planned:
// visits added (for existing or new clients), visits cancelled, and carers
// who cannot work.
type Changes struct {
	AddClients   []Client `json:"add_clients,omitempty"`
	AddVisits    []Visit  `json:"add_visits,omitempty"`
	RemoveVisits []string `json:"remove_visits,omitempty"`
	RemoveCarers []string `json:"remove_carers,omitempty"`
}

// Apply returns a copy of in with the changes made: removed visits leave
// with their dependencies, removed carers leave clients' preferred and
// declined lists, teams and the history (and their rows and columns leave any given travel
// matrices), and added clients and visits are appended. Problems are
// FieldErrors with paths under "changes"; the result still needs
// Validate.
func (ch *Changes) Apply(in *Instance) (*Instance, error) {
	var es FieldErrors
	out := *in
	ix := NewIndex(in)
	goneVisit := map[string]bool{}
	for i, id := range ch.RemoveVisits {
		if _, ok := ix.Visit[id]; !ok {
			es.add(fmt.Sprintf("changes.remove_visits[%d]", i), "no visit %q in the instance", id)
		}
		goneVisit[id] = true
	}
	goneCarer := map[string]bool{}
	var goneIdx []int
	for i, id := range ch.RemoveCarers {
		k, ok := ix.Carer[id]
		if !ok {
			es.add(fmt.Sprintf("changes.remove_carers[%d]", i), "no carer %q in the instance", id)
			continue
		}
		if !goneCarer[id] {
			goneIdx = append(goneIdx, k)
		}
		goneCarer[id] = true
	}
	if len(in.Carers) > 0 && len(goneIdx) == len(in.Carers) {
		es.add("changes.remove_carers", "takes off every carer of the day; at least one must remain")
	}
	hasMatrices := in.Travel != nil && len(in.Travel.Matrices) > 0
	if hasMatrices && len(ch.AddClients) > 0 {
		es.add("changes.add_clients", "the instance gives its travel as matrices, which have no rows for new clients; send the changed instance with its matrices instead")
	}
	if len(es) > 0 {
		return nil, es
	}

	out.Visits = nil
	for _, v := range in.Visits {
		if !goneVisit[v.ID] {
			out.Visits = append(out.Visits, v)
		}
	}
	out.Visits = append(out.Visits, ch.AddVisits...)
	out.Dependencies = nil
	for _, d := range in.Dependencies {
		if !goneVisit[d.First] && !goneVisit[d.Second] {
			out.Dependencies = append(out.Dependencies, d)
		}
	}
	out.Carers = nil
	for _, c := range in.Carers {
		if !goneCarer[c.ID] {
			out.Carers = append(out.Carers, c)
		}
	}
	out.Clients = make([]Client, 0, len(in.Clients)+len(ch.AddClients))
	for _, c := range in.Clients {
		c.Preferences.PreferredCarers = slices.DeleteFunc(slices.Clone(c.Preferences.PreferredCarers), func(id string) bool { return goneCarer[id] })
		c.Preferences.ExcludedCarers = slices.DeleteFunc(slices.Clone(c.Preferences.ExcludedCarers), func(id string) bool { return goneCarer[id] })
		c.Team = slices.DeleteFunc(slices.Clone(c.Team), func(id string) bool { return goneCarer[id] })
		out.Clients = append(out.Clients, c)
	}
	out.Clients = append(out.Clients, ch.AddClients...)
	// History names carers of the instance; a carer taken off leaves it.
	out.History = slices.DeleteFunc(slices.Clone(in.History), func(h HistoryEntry) bool { return goneCarer[h.Carer] })
	if hasMatrices && len(goneIdx) > 0 {
		drop := map[int]bool{}
		for _, k := range goneIdx {
			drop[in.CarerStartPoint(k)], drop[in.CarerEndPoint(k)] = true, true
		}
		tc := *in.Travel
		tc.Matrices = map[Mode]TravelMatrix{}
		for m, tm := range in.Travel.Matrices {
			tc.Matrices[m] = TravelMatrix{DurationsS: dropPoints(tm.DurationsS, drop), DistancesM: dropPoints(tm.DistancesM, drop)}
		}
		out.Travel = &tc
	}
	return &out, nil
}

// dropPoints removes the rows and columns of the dropped points.
func dropPoints(m [][]int, drop map[int]bool) [][]int {
	var out [][]int
	for i, row := range m {
		if drop[i] {
			continue
		}
		var r []int
		for j, x := range row {
			if !drop[j] {
				r = append(r, x)
			}
		}
		out = append(out, r)
	}
	return out
}

// BelongsTo reports whether p is a plan of in, the day it is re-planned
// from: when p names an instance, the name is in's, and every carer,
// partner, visit and client p mentions is one of in's. A plan of another
// day would otherwise be accepted and silently keep nothing. Problems are
// FieldErrors with paths within the plan ("rounds[0].carer"), at most as
// many as decoding lists.
func (p *Plan) BelongsTo(in *Instance) error {
	var es FieldErrors
	add := func(path, format string, args ...any) {
		if len(es) < maxDecodeProblems {
			es.add(path, format, args...)
		}
	}
	// The same rule as the checker's: the names agree exactly, absent on
	// both sides included.
	switch {
	case p.Instance == in.Name:
	case in.Name == "":
		add("instance", "the plan is of %q; this instance has no name", p.Instance)
	case p.Instance == "":
		add("instance", "the plan names no instance; this instance is %q", in.Name)
	default:
		add("instance", "the plan is of %q, not of this instance, %q", p.Instance, in.Name)
	}
	ix := NewIndex(in)
	if in.IsPeriod() {
		// A period's plan names the visits its care expands to.
		if x, err := Expand(in); err == nil {
			ix = NewIndex(x.Instance)
		}
	}
	for i, r := range p.Rounds {
		path := fmt.Sprintf("rounds[%d]", i)
		if _, ok := ix.Carer[r.Carer]; !ok {
			add(path+".carer", "no carer %q in the instance", r.Carer)
		}
		for j, st := range r.Stops {
			path := fmt.Sprintf("%s.stops[%d]", path, j)
			if _, ok := ix.Visit[st.Visit]; !ok {
				add(path+".visit", "no visit %q in the instance", st.Visit)
			}
			if _, ok := ix.Client[st.Client]; st.Client != "" && !ok {
				add(path+".client", "no client %q in the instance", st.Client)
			}
			if _, ok := ix.Carer[st.Partner]; st.Partner != "" && !ok {
				add(path+".partner", "no carer %q in the instance", st.Partner)
			}
		}
	}
	for i, u := range p.Unassigned {
		if _, ok := ix.Visit[u.Visit]; !ok {
			add(fmt.Sprintf("unassigned[%d].visit", i), "no visit %q in the instance", u.Visit)
		}
	}
	return es.err()
}
