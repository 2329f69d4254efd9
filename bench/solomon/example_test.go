package solomon_test

import (
	"fmt"
	"log"
	"os"

	"github.com/rounds-dev/rounds/bench/solomon"
)

// Check a solution under both conventions and write it in CVRPLIB format.
func ExampleEvaluate() {
	in, err := solomon.ReadFile("testdata/tiny.txt")
	if err != nil {
		log.Fatal(err)
	}
	s := solomon.Solution{Routes: [][]int{{1, 2}, {3, 4}}}
	for _, dimacs := range []bool{false, true} {
		res, err := solomon.Evaluate(in, s, dimacs)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("dimacs=%v: %d vehicles, distance %.4f, feasible %v\n", dimacs, res.Vehicles, res.Distance, res.Feasible())
	}
	res, _ := solomon.Evaluate(in, s, true)
	if err := solomon.WriteSol(os.Stdout, s, res.Distance); err != nil {
		log.Fatal(err)
	}
	// Output:
	// dimacs=false: 2 vehicles, distance 27.2558, feasible true
	// dimacs=true: 2 vehicles, distance 27.2000, feasible true
	// Route #1: 1 2
	// Route #2: 3 4
	// Cost 27.2
}
