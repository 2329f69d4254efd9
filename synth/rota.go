package synth

import (
	"fmt"
	"math"

	"github.com/rounds-dev/rounds/roster"
)

// ContractSlack is how far the carers' contracted target hours exceed the
// carer time the care takes (visits, each carer of a double-handed one,
// and the travel allowance) when GenerateWeek chooses the carers: a
// provider's margin for sickness, leave, the rest rules and travel the
// estimate misses.
const ContractSlack = 1.15

// Weekly contracts: most full-time carers are contracted for 35-40 hours,
// part-timers for 16-30. The maximum leaves room for overtime; a carer who
// has opted out of the 48-hour week may be given more.
var (
	fullTimeTargets = []float64{35, 37.5, 40}
	partTimeTargets = []float64{16, 20, 24, 30}
)

// Pay: from the National Living Wage of £12.21 an hour (April 2025) to
// £13.50, the range UK home-care providers advertise.
const (
	minRateGBP = 12.21
	maxRateGBP = 13.50
)

// makeRotas gives the period its carers: each a daily set of shifts, the
// weekdays they work (one or two days off), a contract and a rate. With
// Carers at 0 it adds carers until their contracted target hours reach
// ContractSlack times the carer time the care takes, and until, on every
// weekday and in every part of the day, the care takes at most TargetLoad
// of the time of the carers on shift, as for a day; each new carer takes
// the shift pattern and days off that cover the most of what is still
// short. Then modes, homes, skills and languages, as for a day.
func (w *weekGenerator) makeRotas() {
	allowance := w.travelAllowanceMin()
	need := w.carerMinutesByWeekday(allowance)
	weekNeedH := 0.0
	for d := range need {
		for b := range need[d] {
			weekNeedH += need[d][b] / 60
			need[d][b] /= TargetLoad
		}
	}
	var have [7][nBands]float64
	targetH := 0.0
	covered := func() bool {
		if targetH < ContractSlack*weekNeedH {
			return false
		}
		for d := range need {
			for b := range need[d] {
				if have[d][b] < need[d][b] {
					return false
				}
			}
		}
		return true
	}
	for {
		if w.cfg.Carers > 0 && len(w.carers) >= w.cfg.Carers {
			break
		}
		if w.cfg.Carers == 0 && (covered() || len(w.carers) >= MaxCarers) {
			break
		}
		c, rt, sup := w.drawCarer(need, have)
		w.carers = append(w.carers, c)
		w.rota = append(w.rota, rt)
		targetH += rt.contract.TargetHours
		for d := range have {
			for b := range have[d] {
				have[d][b] += sup[d][b]
			}
		}
	}
	w.giveModesAndHomes()
	if w.cfg.Carers == 0 {
		w.coverReachWeek()
	}
	w.giveSkillsAndLanguages()
	kf := idFormat("K", 2, len(w.carers))
	for i := range w.carers {
		w.carers[i].ID = fmt.Sprintf(kf, i+1)
	}
}

// drawCarer draws one carer's contract, shifts and days off, choosing
// among a few drawn patterns the one whose time best covers need - have,
// and the days off where the most time is to spare. It returns the
// carer's time on shift in each weekday and part of the day.
func (w *weekGenerator) drawCarer(need, have [7][nBands]float64) (carer, rota, [7][nBands]float64) {
	var rt rota
	full := chance(w.r, 0.55)
	if full {
		rt.contract.TargetHours = fullTimeTargets[w.r.IntN(len(fullTimeTargets))]
		rt.contract.MinHours = rt.contract.TargetHours - 5
		rt.optOut = chance(w.r, 0.12)
	} else {
		rt.contract.TargetHours = partTimeTargets[w.r.IntN(len(partTimeTargets))]
		rt.contract.MinHours = max(16, rt.contract.TargetHours-4)
	}
	rt.contract.MaxHours = min(rt.contract.TargetHours+8, roster.DefaultMaxWeekHours)
	if rt.optOut {
		rt.contract.MaxHours = rt.contract.TargetHours + 12
	}
	rt.rateGBP = roundPence(minRateGBP + (maxRateGBP-minRateGBP)*w.r.Float64())
	daysOff := 1 + pick(w.r, 35, 65)
	rt.daysOffAsDates = chance(w.r, 0.2)

	// Part-timers mostly work single shifts; full-timers mostly split.
	weights := make([]float64, len(patterns))
	for p := range patterns {
		weights[p] = patterns[p].weight
		if !full && patterns[p].name == patternSplit {
			weights[p] /= 3
		}
	}
	bestGain, best := math.Inf(-1), carer{}
	var bestSup [7][nBands]float64
	var bestWorks [7]bool
	for range 4 {
		c := carer{pattern: patterns[pick(w.r, weights...)].name}
		c.Shifts = w.drawShifts(c.pattern)
		c.setBreak()
		day := supply(c.Shifts, 0)
		// Days off where the others' time most exceeds the need, with
		// some chance, so that weekends are staffed and days off spread.
		works := [7]bool{true, true, true, true, true, true, true}
		for range daysOff {
			off, spare := -1, math.Inf(-1)
			for d := range works {
				if !works[d] {
					continue
				}
				s := w.r.Float64() * 30
				for b := range day {
					s += have[d][b] - need[d][b]
				}
				if s > spare {
					off, spare = d, s
				}
			}
			works[off] = false
		}
		sup, gain := weekSupply(day, works), 0.0
		for d := range sup {
			for b := range sup[d] {
				gain += min(sup[d][b], max(0, need[d][b]-have[d][b]))
			}
		}
		if gain > bestGain+1 {
			bestGain, best, bestSup, bestWorks = gain, c, sup, works
		}
	}
	rt.works = bestWorks
	rt.fitContract(best.Shifts)
	return best, rt, bestSup
}

// Shares of a carer's time on shift in a week that their contract may
// ask: a provider does not contract hours a rota cannot give, and the
// rest rules and the gaps between calls keep some of the shifts unpaid.
const (
	contractMinShare    = 0.6
	contractTargetShare = 0.75
)

// fitContract lowers the contract's minimum and target, to the half hour,
// where they would take more than contractMinShare and
// contractTargetShare of the carer's time on shift in the week (shifts on
// each day they work), the target not below the 16 hours of the shortest
// contract, keeping min ≤ target ≤ max.
func (rt *rota) fitContract(shifts []roster.Shift) {
	days := 0
	for _, w := range rt.works {
		if w {
			days++
		}
	}
	onShiftH := shiftMin(shifts) * float64(days) / 60
	halfHour := func(h float64) float64 { return math.Floor(h*2) / 2 }
	ct := &rt.contract
	ct.TargetHours = max(min(ct.TargetHours, halfHour(contractTargetShare*onShiftH)), min(ct.TargetHours, partTimeTargets[0]))
	ct.MinHours = min(ct.MinHours, halfHour(contractMinShare*onShiftH), ct.TargetHours)
}

// weekSupply is a carer's time on shift in each weekday and part of the
// day: their day's on the days they work.
func weekSupply(day [nBands]float64, works [7]bool) [7][nBands]float64 {
	var out [7][nBands]float64
	for d := range works {
		if works[d] {
			out[d] = day
		}
	}
	return out
}

// worksOn reports whether carer i works weekday d (Monday 0).
func (w *weekGenerator) worksOn(i, d int) bool { return w.rota[i].works[d] }

// coverReachWeek adds carers until every call has, on every weekday it
// occurs, more carers at work who can reach it in time than it needs
// (wantQualified), whatever their skills: the week's version of
// coverReach. Each new carer is a part-timer working a pattern that
// reaches the call, off on days where others are many.
func (w *weekGenerator) coverReachWeek() {
	weights := make([]float64, len(patterns))
	for p := range patterns {
		weights[p] = patterns[p].weight
	}
	for vi := range w.visits {
		for d, day := range roster.Weekdays {
			if !w.careDays[vi].Has(day) {
				continue
			}
			worksToday := func(i int) bool { return w.worksOn(i, d) }
			for tries := 0; tries < 50 && len(w.carers) < MaxCarers; tries++ {
				if w.reachCount(vi, worksToday) >= wantQualified(&w.visits[vi]) {
					break
				}
				if !w.addCarerFor(vi, weights) {
					continue
				}
				target := partTimeTargets[w.r.IntN(len(partTimeTargets))]
				rt := rota{
					contract: roster.Contract{MinHours: max(16, target-4), TargetHours: target, MaxHours: target + 8},
					rateGBP:  roundPence(minRateGBP + (maxRateGBP-minRateGBP)*w.r.Float64()),
				}
				// Off on two days other than this one.
				for k := range rt.works {
					rt.works[k] = true
				}
				for off := 0; off < 2; {
					if k := w.r.IntN(7); k != d && rt.works[k] {
						rt.works[k] = false
						off++
					}
				}
				rt.fitContract(w.carers[len(w.carers)-1].Shifts)
				w.rota = append(w.rota, rt)
			}
		}
	}
}

// fitWeekSkills trains carers until the skills match the care: enough
// hoist carers for each part of the day (as for a day), then, on every
// weekday a call occurs, wantQualified carers at work who hold its skills,
// whom its client accepts and who can reach it in time.
func (w *weekGenerator) fitWeekSkills() {
	w.fitSkills()
	for ci := range w.clients {
		for _, vi := range w.clients[ci].visits {
			for d, day := range roster.Weekdays {
				if w.careDays[vi].Has(day) {
					w.fitVisit(vi, func(i int) bool { return w.worksOn(i, d) })
				}
			}
		}
	}
}
