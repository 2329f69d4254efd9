// Package scc finds the strongly connected components of a directed graph:
// the road network keeps its largest, and the optimiser works out which
// visits a carer held to short legs can reach.
package scc

// Arcs lists the arcs leaving vertex v, one per call: for k = 0, 1, ... it
// returns the head of the k-th arc, or -1 when the k-th slot holds no arc
// (so a dense adjacency test can skip), and more = false once k is past the
// last slot.
type Arcs func(v, k int32) (head int32, more bool)

// Components numbers the strongly connected components of a graph of n
// vertices and returns each vertex's component and how many there are.
// Components are numbered in the order Tarjan's algorithm closes them: a
// component's number is higher than that of every other component it
// reaches. The search keeps its own stack, so a long chain of vertices
// cannot overflow the goroutine's.
func Components(n int, arcs Arcs) (comp []int32, count int) {
	index := make([]int32, n)
	low := make([]int32, n)
	onStack := make([]bool, n)
	comp = make([]int32, n)
	for i := range index {
		index[i] = -1
	}
	var stack []int32
	type frame struct{ v, k int32 }
	var calls []frame
	next := int32(0)
	visit := func(v int32) {
		index[v], low[v] = next, next
		next++
		stack = append(stack, v)
		onStack[v] = true
		calls = append(calls, frame{v: v})
	}
	for root := range int32(n) {
		if index[root] >= 0 {
			continue
		}
		visit(root)
		for len(calls) > 0 {
			f := &calls[len(calls)-1]
			v := f.v
			if w, more := arcs(v, f.k); more {
				f.k++
				switch {
				case w < 0:
				case index[w] < 0:
					visit(w) // f is not used after this
				case onStack[w]:
					low[v] = min(low[v], index[w])
				}
				continue
			}
			// v is finished: close its component if it is the root of
			// one, then hand its low link to its caller.
			calls = calls[:len(calls)-1]
			if low[v] == index[v] {
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					onStack[w] = false
					comp[w] = int32(count)
					if w == v {
						break
					}
				}
				count++
			}
			if len(calls) > 0 {
				u := calls[len(calls)-1].v
				low[u] = min(low[u], low[v])
			}
		}
	}
	return comp, count
}
