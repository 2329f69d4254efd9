package mankowska

import "fmt"

// Kind says how the services of a patient are tied together.
type Kind int

// The kinds of patient. A double-service patient needs two services, each
// from a different caregiver.
const (
	// Single is a patient needing one service.
	Single Kind = iota
	// Simultaneous is a double-service patient whose two services start at
	// the same time (δmin = δmax = 0 in the file).
	Simultaneous
	// Sequential is a double-service patient whose second service (the one
	// with the higher service index) starts between MinGap and MaxGap after
	// the first.
	Sequential
)

// String returns the kind's name in lower case.
func (k Kind) String() string {
	switch k {
	case Single:
		return "single"
	case Simultaneous:
		return "simultaneous"
	case Sequential:
		return "sequential"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Window is an interval for the start of a service, in the instance's time
// unit.
type Window struct {
	// Earliest is the earliest start; a caregiver arriving before it waits.
	Earliest float64
	// Latest is the latest start without tardiness; starting later is
	// allowed and costs the difference.
	Latest float64
}

// Requirement is one service a patient needs.
type Requirement struct {
	// Service is the service type, from 0 to Instance.NumServices-1 (the
	// solution files call it "s<Service+1>").
	Service int
	// Duration is the processing time of the service at this patient by
	// each caregiver, indexed like Instance.Caregivers. In all 70 published
	// instances it is the same for every caregiver.
	Duration []float64
}

// Patient is a node to be visited once per required service.
type Patient struct {
	// Node is the patient's row and column in Instance.Travel, from 1 to
	// len(Instance.Patients); Instance.Patients[Node-1] is this patient.
	// The solution files call the patient "p<Node>".
	Node int
	// X and Y are the patient's coordinates in the plane.
	X, Y float64
	// Window bounds the start of each of the patient's services.
	Window Window
	// Services lists the services the patient needs, one or two, in
	// increasing order of Service.
	Services []Requirement
	// Kind is Single for one service, otherwise how the two are tied.
	Kind Kind
	// MinGap and MaxGap bound start(Services[1]) − start(Services[0]) of a
	// Sequential patient; they are zero for the other kinds.
	MinGap, MaxGap float64
}

// Caregiver is one staff member with a route starting and ending at the
// depot.
type Caregiver struct {
	// Index is the caregiver's position in Instance.Caregivers; the
	// solution files call the caregiver "c<Index+1>".
	Index int
	// Qualified[s] says whether the caregiver may perform service s.
	Qualified []bool
}

// CanDo reports whether the caregiver is qualified for service s.
func (c Caregiver) CanDo(s int) bool {
	return s >= 0 && s < len(c.Qualified) && c.Qualified[s]
}

// Depot is the start and end of every route.
type Depot struct {
	// X and Y are the depot's coordinates in the plane.
	X, Y float64
	// Start is the window of the start node (node 0): [0, 600] in every
	// published instance. Evaluate lets no route leave before
	// Start.Earliest and does not use Start.Latest.
	Start Window
	// End is the window of the end node (the last node): [0, 1000] in sets
	// A–D and [0, 600] in sets E–G. The published solutions do not respect
	// it, and Evaluate does not enforce it.
	End Window
}

// Instance is one Mankowska et al. (2014) instance.
type Instance struct {
	// Name identifies the instance: the file's base name without ".txt",
	// such as "InstanzCPLEX_HCSRP_10_1".
	Name string
	// NumServices is the number of service types.
	NumServices int
	// Depot is where routes start and end.
	Depot Depot
	// Patients lists the patients in node order: Patients[k].Node == k+1.
	Patients []Patient
	// Caregivers lists the caregivers in file order.
	Caregivers []Caregiver
	// Travel is the distance matrix of the file, square of side
	// len(Patients)+2: node 0 is the depot as start, nodes 1 to
	// len(Patients) are the patients and the last node is the depot as end.
	// It serves as both distance and travel time.
	Travel [][]float64
}

// NumNodes returns the side of the travel matrix: the patients plus the
// depot's start and end nodes.
func (in *Instance) NumNodes() int { return len(in.Patients) + 2 }

// EndNode returns the index of the depot's end node in Travel.
func (in *Instance) EndNode() int { return len(in.Patients) + 1 }

// Horizon returns the largest latest start of any node, the depot's end
// included: the end of the day in the instance's time unit. Tardy services
// and late returns can go past it.
func (in *Instance) Horizon() float64 {
	h := max(in.Depot.Start.Latest, in.Depot.End.Latest)
	for _, p := range in.Patients {
		h = max(h, p.Window.Latest)
	}
	return h
}

// Requirement returns patient's requirement for service s, or false when the
// patient (a node from 1 to len(Patients)) does not need it.
func (in *Instance) Requirement(patient, s int) (Requirement, bool) {
	if patient < 1 || patient > len(in.Patients) {
		return Requirement{}, false
	}
	for _, r := range in.Patients[patient-1].Services {
		if r.Service == s {
			return r, true
		}
	}
	return Requirement{}, false
}
