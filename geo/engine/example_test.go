package engine_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/rounds-dev/rounds/geo/engine"
	"github.com/rounds-dev/rounds/roster"
)

// ExampleNew asks an OSRM server, here a stand-in serving a recorded answer,
// for the driving matrix between three places in Leeds.
func ExampleNew() {
	answer, _ := os.ReadFile("testdata/osrm_table.json")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write(answer)
	}))
	defer srv.Close()

	c, err := engine.New(engine.Config{Kind: engine.OSRM, BaseURL: srv.URL, Version: "gb-2024-06-01"})
	if err != nil {
		fmt.Println(err)
		return
	}
	points := []roster.Location{{Lat: 53.8008, Lon: -1.5491}, {Lat: 53.8175, Lon: -1.572}, {Lat: 53.796, Lon: -1.5247}}
	m, err := c.Matrix(context.Background(), points, roster.Drive)
	if err != nil {
		fmt.Println(err)
		return
	}
	dur, dist := m.Leg(0, 1)
	fmt.Printf("%s: centre to Headingley %d s, %d m\n", c.Source().Provider, dur, dist)
	// Output: osrm: centre to Headingley 412 s, 2870 m
}
