package optimiser

// workingTimeRule forbids a carer's paid time on the day (departure to
// return of every round, less breaks) beyond their maximum working time,
// roster.Carer.MaxWorkingMin. It has no pre-filter for insertion: a
// visit's effect on paid time depends on how the day compresses, so
// settle checks it exactly; the reasons' static verdicts test a visit
// alone against the cap.
type workingTimeRule struct{}

var _ carerRule = workingTimeRule{}

func (workingTimeRule) name() string { return "working time within the carer's cap" }

func (workingTimeRule) holds(p *problem, c int, d *carerDay) bool {
	cap := p.carers[c].maxWorkS
	return cap == 0 || d.paidS <= cap
}
