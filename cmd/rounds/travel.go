package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/geo/engine"
	"github.com/rounds-dev/rounds/geo/road"
	"github.com/rounds-dev/rounds/roster"
)

// travelFlags are the flags that choose where travel times come from: the
// straight-line estimate (the default), or the street network of an
// OpenStreetMap extract.
type travelFlags struct {
	osm      string
	walkKMH  float64
	cycleKMH float64
	maxSnapM float64

	engine        string
	engineURL     string
	engineVersion string

	// loaded is the road network or engine client, once made.
	loaded geo.Provider
}

// addTravelFlags registers the travel flags on fs.
func addTravelFlags(fs *flag.FlagSet) *travelFlags {
	tf := &travelFlags{}
	fs.StringVar(&tf.osm, "osm", "", "travel on the street network of this OpenStreetMap extract (`FILE`.osm.pbf or .osm) instead of straight lines")
	fs.Float64Var(&tf.walkKMH, "walk-kmh", 4.7, "walking pace on the street network, km/h (with --osm)")
	fs.Float64Var(&tf.cycleKMH, "cycle-kmh", 15, "cycling pace on the street network, km/h (with --osm)")
	fs.Float64Var(&tf.maxSnapM, "max-snap-m", 500, "furthest a place may be from a road its carers' mode can use, metres (with --osm)")
	fs.StringVar(&tf.engine, "engine", "", "take travel from a routing engine you run: osrm, valhalla or graphhopper (with --engine-url; a GraphHopper key comes from $ROUNDS_ENGINE_KEY)")
	fs.StringVar(&tf.engineURL, "engine-url", "", "the routing engine's base `URL`, e.g. http://localhost:5000")
	fs.StringVar(&tf.engineVersion, "engine-version", "", "the engine's data version, recorded in plans (e.g. the extract's date)")
	return tf
}

// set reports whether a provider other than the straight line was chosen.
func (tf *travelFlags) set() bool { return tf.osm != "" || tf.engine != "" }

// provider loads the chosen provider once; nil means the straight-line
// estimate with each instance's own settings. Progress goes to logw when
// it is not nil.
func (tf *travelFlags) provider(ctx context.Context, logw io.Writer) (geo.Provider, error) {
	if tf.osm != "" && tf.engine != "" {
		return nil, fmt.Errorf("--osm and --engine: choose one source of travel")
	}
	if tf.loaded != nil {
		return tf.loaded, nil
	}
	if tf.engine != "" || tf.engineURL != "" {
		return tf.engineProvider()
	}
	if tf.osm == "" {
		return nil, nil
	}
	start := time.Now()
	n, err := road.LoadFile(ctx, tf.osm, road.Options{WalkKMH: tf.walkKMH, CycleKMH: tf.cycleKMH, MaxSnapM: tf.maxSnapM})
	if err != nil {
		return nil, fmt.Errorf("--osm: %w", err)
	}
	if logw != nil {
		st := n.Stats()
		fmt.Fprintf(logw, "road network: %s, %d junctions (walk %d, drive %d, cycle %d kept), loaded in %s\n",
			tf.osm, st.Junctions, st.Kept[roster.Walk], st.Kept[roster.Drive], st.Kept[roster.Cycle], time.Since(start).Round(time.Millisecond))
	}
	tf.loaded = n
	return n, nil
}

// engineProvider builds the routing-engine client.
func (tf *travelFlags) engineProvider() (geo.Provider, error) {
	if tf.engine == "" || tf.engineURL == "" {
		return nil, fmt.Errorf("--engine and --engine-url go together")
	}
	kind, err := engine.ParseKind(tf.engine)
	if err != nil {
		return nil, fmt.Errorf("--engine: %w", err)
	}
	cfg := engine.Config{Kind: kind, BaseURL: tf.engineURL, Version: tf.engineVersion}
	if kind == engine.GraphHopper {
		cfg.APIKey = os.Getenv("ROUNDS_ENGINE_KEY")
	}
	c, err := engine.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("--engine: %w", err)
	}
	tf.loaded = c
	return c, nil
}

// travelFor returns the travel an instance is planned and checked with: its
// own matrices when it carries them, otherwise the chosen provider's, or the
// straight-line estimate. A place too far from the road network is an
// input error naming the place's field.
func (tf *travelFlags) travelFor(ctx context.Context, in *roster.Instance, logw io.Writer) (*geo.Matrices, error) {
	if ms := geo.Given(in); ms != nil {
		if tf.set() {
			return nil, roster.FieldErrors{{Path: "travel.matrices", Reason: "the instance carries its own travel matrices; drop them, or drop --osm and --engine"}}
		}
		return ms, nil
	}
	p, err := tf.provider(ctx, logw)
	if err != nil {
		return nil, err
	}
	if p == nil {
		return geo.TravelFor(ctx, in)
	}
	if in.Travel != nil && len(in.Travel.Modes) > 0 {
		return nil, roster.FieldErrors{{Path: "travel.modes", Reason: "straight-line speeds do not apply on the road network; drop them or --osm (use --walk-kmh and --cycle-kmh for paces)"}}
	}
	ms, err := geo.ForInstance(ctx, p, in)
	var ue *engine.UnreachableError
	switch {
	case errors.As(err, &ue):
		// Name the places by their fields rather than point numbers.
		var b strings.Builder
		for i, pair := range ue.Pairs {
			if i > 0 {
				b.WriteString("; ")
			}
			fmt.Fprintf(&b, "%s to %s", in.PointPath(pair.From), in.PointPath(pair.To))
		}
		if more := ue.Count - len(ue.Pairs); more > 0 {
			fmt.Fprintf(&b, "; and %d more", more)
		}
		return nil, fmt.Errorf("the routing engine has no %s route from %s", ue.Mode, b.String())
	case err != nil:
		return nil, road.InstanceErrors(in, err)
	}
	return ms, nil
}
