package scc

import (
	"math/rand/v2"
	"testing"
)

// dense adapts an adjacency matrix to Arcs.
func dense(adj [][]bool) Arcs {
	return func(v, k int32) (int32, bool) {
		if int(k) >= len(adj) {
			return 0, false
		}
		if !adj[v][k] {
			return -1, true
		}
		return k, true
	}
}

// TestComponentsMatchReachability: on random graphs, two vertices share a
// component exactly when each reaches the other, and a component reaching
// another has the higher number.
func TestComponentsMatchReachability(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 300 {
		n := 1 + r.IntN(25)
		p := r.Float64() * 0.3
		adj := make([][]bool, n)
		for i := range adj {
			adj[i] = make([]bool, n)
			for j := range adj[i] {
				adj[i][j] = r.Float64() < p
			}
		}
		// reach[i][j]: j is reachable from i (Floyd-Warshall closure).
		reach := make([][]bool, n)
		for i := range reach {
			reach[i] = append([]bool(nil), adj[i]...)
			reach[i][i] = true
		}
		for k := range n {
			for i := range n {
				for j := range n {
					reach[i][j] = reach[i][j] || reach[i][k] && reach[k][j]
				}
			}
		}
		comp, count := Components(n, dense(adj))
		seen := map[int32]bool{}
		for i := range n {
			seen[comp[i]] = true
			for j := range n {
				same := reach[i][j] && reach[j][i]
				if (comp[i] == comp[j]) != same {
					t.Fatalf("trial %d: %d and %d in components %d and %d, mutually reachable %v", trial, i, j, comp[i], comp[j], same)
				}
				if reach[i][j] && !same && comp[i] <= comp[j] {
					t.Fatalf("trial %d: %d (component %d) reaches %d (component %d), want a higher number", trial, i, comp[i], j, comp[j])
				}
			}
		}
		if len(seen) != count {
			t.Fatalf("trial %d: %d components used, count %d", trial, len(seen), count)
		}
	}
}

// TestLongChain: a chain of a million vertices does not overflow a stack.
func TestLongChain(t *testing.T) {
	const n = 1_000_000
	_, count := Components(n, func(v, k int32) (int32, bool) {
		if k > 0 || v == n-1 {
			return 0, false
		}
		return v + 1, true
	})
	if count != n {
		t.Fatalf("%d components, want %d", count, n)
	}
}
