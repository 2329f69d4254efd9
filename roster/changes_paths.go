package roster

import (
	"fmt"
	"strconv"
	"strings"
)

// RequestPath maps a field path of changed, the instance Apply made of in,
// to where the problem lies in what was sent: an added visit, client or
// care entry to its place under "changes", a kept visit or carer to its
// place in the instance as sent (before others were removed), and
// anything else to the instance. Paths in the instance are prefixed with
// instancePrefix and a dot ("instance.visits[3]"), or left as they are
// when it is "".
func (ch *Changes) RequestPath(path string, in, changed *Instance, instancePrefix string) string {
	inInstance := func(p string) string {
		switch {
		case instancePrefix == "":
			return p
		case p == "":
			return instancePrefix
		}
		return instancePrefix + "." + p
	}
	ix := NewIndex(in)
	keptVisits := len(changed.Visits) - len(ch.AddVisits)
	if i, rest, ok := indexedPath(path, "visits"); ok {
		if i >= keptVisits {
			return fmt.Sprintf("changes.add_visits[%d]%s", i-keptVisits, rest)
		}
		if i < len(changed.Visits) {
			if j, ok := ix.Visit[changed.Visits[i].ID]; ok {
				return inInstance(fmt.Sprintf("visits[%d]%s", j, rest))
			}
		}
	}
	if i, rest, ok := indexedPath(path, "clients"); ok && i >= len(in.Clients) {
		return fmt.Sprintf("changes.add_clients[%d]%s", i-len(in.Clients), rest)
	}
	if i, rest, ok := indexedPath(path, "care"); ok && i >= len(in.Care) {
		return fmt.Sprintf("changes.add_care[%d]%s", i-len(in.Care), rest)
	}
	if i, rest, ok := indexedPath(path, "carers"); ok && i < len(changed.Carers) {
		if j, ok := ix.Carer[changed.Carers[i].ID]; ok {
			return inInstance(fmt.Sprintf("carers[%d]%s", j, rest))
		}
	}
	return inInstance(path)
}

// indexedPath splits a path such as "visits[3].windows" into 3 and
// ".windows" when it begins with the array name.
func indexedPath(path, name string) (int, string, bool) {
	rest, ok := strings.CutPrefix(path, name+"[")
	if !ok {
		return 0, "", false
	}
	num, rest, ok := strings.Cut(rest, "]")
	i, err := strconv.Atoi(num)
	if !ok || err != nil || i < 0 {
		return 0, "", false
	}
	return i, rest, true
}
