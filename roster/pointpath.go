package roster

import "fmt"

// PointPath names the instance field that point p of Points comes from, for
// error messages: "clients[3].location", "carers[2].start" or
// "carers[2].end" (the start's path when the carer has no end of their own).
func (in *Instance) PointPath(p int) string {
	if p < 0 {
		return fmt.Sprintf("points[%d]", p)
	}
	if p < len(in.Clients) {
		return fmt.Sprintf("clients[%d].location", p)
	}
	k := p - len(in.Clients)
	if k/2 >= len(in.Carers) {
		return fmt.Sprintf("points[%d]", p)
	}
	if k%2 == 1 && in.Carers[k/2].End != nil {
		return fmt.Sprintf("carers[%d].end", k/2)
	}
	return fmt.Sprintf("carers[%d].start", k/2)
}
