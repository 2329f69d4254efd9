package roster

// Travel gives the time and distance between two of an instance's points for
// a carer travelling by a mode. Points are numbered as by Instance.Points.
// Package geo provides implementations.
type Travel interface {
	Leg(mode Mode, from, to int) (durS, distM int)
}

// Points lists every place of the instance in a fixed order: each client's
// home (client i is point i), then each carer's start and end (carer k starts
// at point len(Clients)+2k and ends at point len(Clients)+2k+1).
func (in *Instance) Points() []Location {
	pts := make([]Location, 0, len(in.Clients)+2*len(in.Carers))
	for _, c := range in.Clients {
		pts = append(pts, c.Location)
	}
	for i := range in.Carers {
		pts = append(pts, in.Carers[i].Start, in.Carers[i].EndLocation())
	}
	return pts
}

// ClientPoint is the point index of client i's home.
func (in *Instance) ClientPoint(i int) int { return i }

// CarerStartPoint is the point index of carer k's start.
func (in *Instance) CarerStartPoint(k int) int { return len(in.Clients) + 2*k }

// CarerEndPoint is the point index of carer k's end.
func (in *Instance) CarerEndPoint(k int) int { return len(in.Clients) + 2*k + 1 }

// Index holds look-ups from ids to positions in an instance's slices. It is
// valid while the instance is not changed.
type Index struct {
	Carer  map[string]int
	Client map[string]int
	Visit  map[string]int
}

// NewIndex builds the look-ups of in. Where ids repeat (which Validate
// reports), the first one wins.
func NewIndex(in *Instance) *Index {
	ix := &Index{
		Carer:  make(map[string]int, len(in.Carers)),
		Client: make(map[string]int, len(in.Clients)),
		Visit:  make(map[string]int, len(in.Visits)),
	}
	for i, c := range in.Carers {
		if _, ok := ix.Carer[c.ID]; !ok {
			ix.Carer[c.ID] = i
		}
	}
	for i, c := range in.Clients {
		if _, ok := ix.Client[c.ID]; !ok {
			ix.Client[c.ID] = i
		}
	}
	for i, v := range in.Visits {
		if _, ok := ix.Visit[v.ID]; !ok {
			ix.Visit[v.ID] = i
		}
	}
	return ix
}
