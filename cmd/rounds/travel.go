package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
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
	// driveOnRight charges right turns as the cheap ones.
	driveOnRight bool

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
	fs.BoolVar(&tf.driveOnRight, "drive-on-right", false, "traffic keeps to the right, so left turns cross it and cost more (with --osm; default: it keeps to the left, as in the UK)")
	fs.StringVar(&tf.engine, "engine", "", "take travel from a routing engine you run: osrm, valhalla or graphhopper (with --engine-url; a GraphHopper key comes from $ROUNDS_ENGINE_KEY)")
	fs.StringVar(&tf.engineURL, "engine-url", "", "the routing engine's base `URL`, e.g. http://localhost:5000")
	fs.StringVar(&tf.engineVersion, "engine-version", "", "the engine's data version, recorded in plans (e.g. the extract's date)")
	return tf
}

// set reports whether a provider other than the straight line was chosen.
func (tf *travelFlags) set() bool { return tf.osm != "" || tf.engine != "" }

// provider loads the chosen provider once; nil means the straight-line
// estimate with each instance's own settings. Progress goes to logw when
// it is not nil. Its errors are the flags' (an unknown engine, a missing
// or corrupt extract), so they are marked as input errors.
func (tf *travelFlags) provider(ctx context.Context, logw io.Writer) (geo.Provider, error) {
	p, err := tf.load(ctx, logw)
	if err != nil {
		return nil, inputError{err}
	}
	return p, nil
}

// load is provider without the marking.
func (tf *travelFlags) load(ctx context.Context, logw io.Writer) (geo.Provider, error) {
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
	n, err := road.LoadFile(ctx, tf.osm, road.Options{WalkKMH: tf.walkKMH, CycleKMH: tf.cycleKMH, MaxSnapM: tf.maxSnapM, DriveOnRight: tf.driveOnRight})
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

// travelFor returns the travel an instance is planned and checked with,
// under the one policy geo.TravelFor sets out: the instance's own matrices,
// else the chosen road network or engine, else straight lines. Problems
// with places come back as field errors. When the instance's matrices
// overrule --osm or --engine, a note says so on logw.
func (tf *travelFlags) travelFor(ctx context.Context, in *roster.Instance, logw io.Writer) (*geo.Matrices, error) {
	var p geo.Provider
	if geo.Given(in) == nil {
		var err error
		if p, err = tf.provider(ctx, logw); err != nil {
			return nil, err
		}
	} else if tf.set() && logw != nil {
		fmt.Fprintln(logw, "note: the instance carries its own travel matrices; they are used, not --osm or --engine")
	}
	return geo.TravelFor(ctx, p, in)
}
