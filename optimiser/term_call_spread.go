package optimiser

// callSpreadTerm costs Weights.CallSpread for each minute of spread of a
// recurring call: the latest minus the earliest served start of one care
// entry's visits, in wall-clock time of day on each visit's date, as
// roster's period figures measure it. It is priced per client (the sum
// over the client's care entries), so that the solution caches it with
// the other client terms; as a start can move without its leg changing
// carer, the solution also marks for costing again the clients of every
// round it re-times (startsCosted). A term of periods of more than one
// day only (problem.periodTerms). Its estimate is the widening of the
// entry's spread that the leg's earliest start alone would cause.
type callSpreadTerm struct {
	perS float64 // the weight per second: Weights.CallSpread / 60
	// clientCare lists each client's care entries.
	clientCare [][]int32
}

var (
	_ costTerm     = callSpreadTerm{}
	_ clientCoster = callSpreadTerm{}
)

func (callSpreadTerm) name() string { return "call_spread" }

func (t callSpreadTerm) clientCost(s *solution, cl int32) float64 {
	sum := int32(0)
	for _, e := range t.clientCare[cl] {
		if lo, hi, any := s.careSpan(e, -1); any {
			sum += hi - lo
		}
	}
	return t.perS * float64(sum)
}

func (t callSpreadTerm) estimate(s *solution, at *insertion) float64 {
	if at.vi.care < 0 {
		return 0
	}
	lo, hi, any := s.careSpan(at.vi.care, at.visit)
	if !any {
		return 0
	}
	w := s.p.wall.of(at.vi.day, at.start)
	return t.perS * float64(max(0, lo-w)+max(0, w-hi))
}

// newCallSpreadTerm lists the care entries of each of p's clients.
func newCallSpreadTerm(p *problem, perMin float64) callSpreadTerm {
	t := callSpreadTerm{perS: perMin / 60, clientCare: make([][]int32, len(p.in.Clients))}
	for e, vs := range p.careVisits {
		if len(vs) > 0 {
			cl := p.visits[vs[0]].client
			t.clientCare[cl] = append(t.clientCare[cl], int32(e))
		}
	}
	return t
}

// dirtyClientsOf marks for costing again the clients of carer c's visits,
// whose starts may have moved with the carer's rounds.
func (s *solution) dirtyClientsOf(c int) {
	for _, v := range s.p.carers[c].vehicles {
		for _, k := range s.routes[v] {
			s.dirtyClient(k)
		}
	}
}
