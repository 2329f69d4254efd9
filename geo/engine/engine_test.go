package engine_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/geo/engine"
	"github.com/rounds-dev/rounds/roster"
)

// TestMatrixFromRecordedAnswers checks that each engine's recorded answers
// over leeds become the expected matrix or the expected error.
func TestMatrixFromRecordedAnswers(t *testing.T) {
	// The pairs the recorded "unreachable" answers leave without a route:
	// Kirkgate (point 2) is cut off both ways.
	kirkgateCutOff := &geo.UnreachableError{Mode: roster.Drive, Count: 4,
		Pairs: []geo.Pair{{From: 0, To: 2}, {From: 1, To: 2}, {From: 2, To: 0}, {From: 2, To: 1}}}
	// Valhalla's error 442 says no leg has a route, the diagonal included.
	var all []geo.Pair
	for i := range 3 {
		for j := range 3 {
			all = append(all, geo.Pair{From: i, To: j})
		}
	}
	nothingRoutes := &geo.UnreachableError{Mode: roster.Drive, Count: 9, Pairs: all}

	tests := []struct {
		name   string
		kind   engine.Kind
		status int
		file   string
		// Exactly one of the following is set.
		wantMatrix      bool
		wantUnreachable *geo.UnreachableError
		wantEngine      *engine.EngineError
		wantBadAnswer   bool
	}{
		{name: "osrm/ok", kind: engine.OSRM, status: 200, file: "osrm_table.json", wantMatrix: true},
		{name: "osrm/null legs", kind: engine.OSRM, status: 200, file: "osrm_table_unreachable.json", wantUnreachable: kirkgateCutOff},
		{name: "osrm/refused", kind: engine.OSRM, status: 400, file: "osrm_error.json",
			wantEngine: &engine.EngineError{StatusCode: 400, Code: "NoSegment", Message: "Could not find a matching segment for coordinate 2"}},
		{name: "osrm/too few rows", kind: engine.OSRM, status: 200, file: "osrm_table_short.json", wantBadAnswer: true},
		{name: "osrm/truncated JSON", kind: engine.OSRM, status: 200, file: "truncated.json", wantBadAnswer: true},
		{name: "osrm/proxy error page", kind: engine.OSRM, status: 502, file: "gateway_502.html",
			wantEngine: &engine.EngineError{StatusCode: 502, Message: "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"}},

		{name: "valhalla/ok", kind: engine.Valhalla, status: 200, file: "valhalla_matrix.json", wantMatrix: true},
		{name: "valhalla/concise form", kind: engine.Valhalla, status: 200, file: "valhalla_matrix_concise.json", wantMatrix: true},
		{name: "valhalla/null legs", kind: engine.Valhalla, status: 200, file: "valhalla_matrix_unreachable.json", wantUnreachable: kirkgateCutOff},
		{name: "valhalla/no route at all", kind: engine.Valhalla, status: 400, file: "valhalla_error_no_route.json", wantUnreachable: nothingRoutes},
		{name: "valhalla/refused", kind: engine.Valhalla, status: 400, file: "valhalla_error.json",
			wantEngine: &engine.EngineError{StatusCode: 400, Code: "171", Message: "No suitable edges near location"}},
		{name: "valhalla/too few columns", kind: engine.Valhalla, status: 200, file: "valhalla_matrix_short.json", wantBadAnswer: true},
		{name: "valhalla/OSRM's answer", kind: engine.Valhalla, status: 200, file: "osrm_table.json", wantBadAnswer: true},
		{name: "valhalla/truncated JSON", kind: engine.Valhalla, status: 200, file: "truncated.json", wantBadAnswer: true},

		{name: "graphhopper/ok", kind: engine.GraphHopper, status: 200, file: "graphhopper_matrix.json", wantMatrix: true},
		{name: "graphhopper/null legs", kind: engine.GraphHopper, status: 200, file: "graphhopper_matrix_unreachable.json", wantUnreachable: kirkgateCutOff},
		{name: "graphhopper/refused", kind: engine.GraphHopper, status: 400, file: "graphhopper_error.json",
			wantEngine: &engine.EngineError{StatusCode: 400, Message: "Profile 'hovercraft' not found"}},
		{name: "graphhopper/short row", kind: engine.GraphHopper, status: 200, file: "graphhopper_matrix_short.json", wantBadAnswer: true},
		{name: "graphhopper/truncated JSON", kind: engine.GraphHopper, status: 200, file: "truncated.json", wantBadAnswer: true},
		{name: "graphhopper/proxy error page", kind: engine.GraphHopper, status: 502, file: "gateway_502.html",
			wantEngine: &engine.EngineError{StatusCode: 502, Message: "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, rec := serveFixture(t, tt.status, tt.file)
			c := newClient(t, engine.Config{Kind: tt.kind, BaseURL: srv.URL})
			m, err := c.Matrix(context.Background(), leeds, roster.Drive)
			if n := len(rec.all()); n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
			if tt.wantMatrix {
				if err != nil {
					t.Fatalf("Matrix: %v", err)
				}
				want := &geo.Matrix{N: 3, DurS: leedsDurS, DistM: leedsDistM}
				if !reflect.DeepEqual(m, want) {
					t.Fatalf("Matrix = %+v, want %+v", m, want)
				}
				return
			}
			if err == nil {
				t.Fatalf("Matrix = %+v, want an error", m)
			}
			if m != nil {
				t.Errorf("Matrix returned %+v with its error", m)
			}
			prefix := "geo: " + string(tt.kind) + " "
			if !strings.HasPrefix(err.Error(), prefix) {
				t.Errorf("error %q does not start %q", err, prefix)
			}
			switch {
			case tt.wantUnreachable != nil:
				var ue *geo.UnreachableError
				if !errors.As(err, &ue) {
					t.Fatalf("error %v is not an *UnreachableError", err)
				}
				if want := locate(tt.wantUnreachable, leeds, leeds); !reflect.DeepEqual(ue, want) {
					t.Errorf("UnreachableError = %+v, want %+v", ue, want)
				}
			case tt.wantEngine != nil:
				var ee *engine.EngineError
				if !errors.As(err, &ee) {
					t.Fatalf("error %v is not an *EngineError", err)
				}
				if *ee != *tt.wantEngine {
					t.Errorf("EngineError = %+v, want %+v", ee, tt.wantEngine)
				}
				if !strings.Contains(err.Error(), tt.wantEngine.Message) {
					t.Errorf("error %q does not carry the engine's message", err)
				}
			case tt.wantBadAnswer:
				if !errors.Is(err, engine.ErrBadAnswer) {
					t.Errorf("error %v does not wrap ErrBadAnswer", err)
				}
			}
		})
	}
}

// TestLegsFromRecordedAnswers checks Legs from two points to a third.
func TestLegsFromRecordedAnswers(t *testing.T) {
	tests := []struct {
		kind engine.Kind
		file string
	}{
		{engine.OSRM, "osrm_table_legs.json"},
		{engine.Valhalla, "valhalla_matrix_legs.json"},
		{engine.GraphHopper, "graphhopper_matrix_legs.json"},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			srv, _ := serveFixture(t, 200, tt.file)
			c := newClient(t, engine.Config{Kind: tt.kind, BaseURL: srv.URL})
			dur, dist, err := c.Legs(context.Background(), leeds[:2], leeds[2:], roster.Drive)
			if err != nil {
				t.Fatal(err)
			}
			if want := []int32{305, 611}; !reflect.DeepEqual(dur, want) {
				t.Errorf("durations %v, want %v", dur, want)
			}
			if want := []int32{1804, 4400}; !reflect.DeepEqual(dist, want) {
				t.Errorf("distances %v, want %v", dist, want)
			}
		})
	}
}

// TestSplitting checks that a matrix asked for in blocks of two points
// equals the one asked for in one request, and that no request carries more
// than two sources or two destinations.
func TestSplitting(t *testing.T) {
	// 5 points in blocks of 2 are 3 blocks a side: 9 requests for the square
	// matrix; 5 sources by 3 destinations are 3×2 = 6.
	tests := []struct {
		name         string
		legs         bool
		from, to     []roster.Location
		wantRequests int
	}{
		{name: "matrix", from: grid5, to: grid5, wantRequests: 9},
		{name: "legs", legs: true, from: grid5, to: grid5[1:4], wantRequests: 6},
	}
	for _, kind := range engine.Kinds {
		for _, tt := range tests {
			t.Run(string(kind)+"/"+tt.name, func(t *testing.T) {
				run := func(maxLoc int) (dur, dist []int32, f *fake) {
					f = &fake{kind: kind}
					srv := serveFake(t, f)
					c := newClient(t, engine.Config{Kind: kind, BaseURL: srv.URL, MaxLocations: maxLoc})
					var err error
					if tt.legs {
						dur, dist, err = c.Legs(context.Background(), tt.from, tt.to, roster.Walk)
					} else {
						var m *geo.Matrix
						m, err = c.Matrix(context.Background(), tt.from, roster.Walk)
						if m != nil {
							if m.N != len(tt.from) {
								t.Errorf("N = %d, want %d", m.N, len(tt.from))
							}
							dur, dist = m.DurS, m.DistM
						}
					}
					if err != nil {
						t.Fatalf("MaxLocations %d: %v", maxLoc, err)
					}
					return dur, dist, f
				}
				oneDur, oneDist, one := run(100)
				splitDur, splitDist, split := run(2)
				wantDur, wantDist := wantSynth(tt.from, tt.to)
				if !reflect.DeepEqual(oneDur, wantDur) || !reflect.DeepEqual(oneDist, wantDist) {
					t.Errorf("one request: %v %v, want %v %v", oneDur, oneDist, wantDur, wantDist)
				}
				if !reflect.DeepEqual(splitDur, oneDur) || !reflect.DeepEqual(splitDist, oneDist) {
					t.Errorf("split: %v %v, want %v %v", splitDur, splitDist, oneDur, oneDist)
				}
				if n := len(one.rec.all()); n != 1 {
					t.Errorf("one request: %d requests", n)
				}
				if n := len(split.rec.all()); n != tt.wantRequests {
					t.Errorf("split: %d requests, want %d", n, tt.wantRequests)
				}
				if m := split.maxSide.Load(); m != 2 {
					t.Errorf("split: a request carried %d sources or destinations, want at most 2", m)
				}
			})
		}
	}
}

// TestSplittingUnreachable checks that unreachable legs found in different
// blocks are all reported, in row-major order, the list capped at ten.
func TestSplittingUnreachable(t *testing.T) {
	var twelve []roster.Location
	for i := range 12 {
		twelve = append(twelve, roster.Location{Lat: 53.7 + float64(i)*0.01, Lon: -1.5 - float64(i%4)*0.01})
	}
	tests := []struct {
		name   string
		points []roster.Location
		island int
		want   *geo.UnreachableError
	}{
		{
			// Point 4 is cut off: 4 legs to it and 4 from it.
			name: "five points", points: grid5, island: 4,
			want: &geo.UnreachableError{Mode: roster.Cycle, Count: 8, Pairs: []geo.Pair{
				{From: 0, To: 4}, {From: 1, To: 4}, {From: 2, To: 4}, {From: 3, To: 4}, {From: 4, To: 0}, {From: 4, To: 1}, {From: 4, To: 2}, {From: 4, To: 3}}},
		},
		{
			// Point 0 is cut off: 11 legs from it and 11 to it; the list stops
			// at ten, all from point 0.
			name: "twelve points", points: twelve, island: 0,
			want: &geo.UnreachableError{Mode: roster.Cycle, Count: 22, Pairs: []geo.Pair{
				{From: 0, To: 1}, {From: 0, To: 2}, {From: 0, To: 3}, {From: 0, To: 4}, {From: 0, To: 5}, {From: 0, To: 6}, {From: 0, To: 7}, {From: 0, To: 8}, {From: 0, To: 9}, {From: 0, To: 10}}},
		},
	}
	for _, kind := range engine.Kinds {
		for _, tt := range tests {
			for _, maxLoc := range []int{2, 5, 100} {
				t.Run(fmt.Sprintf("%s/%s/max %d", kind, tt.name, maxLoc), func(t *testing.T) {
					f := &fake{kind: kind, island: &tt.points[tt.island]}
					srv := serveFake(t, f)
					c := newClient(t, engine.Config{Kind: kind, BaseURL: srv.URL, MaxLocations: maxLoc})
					m, err := c.Matrix(context.Background(), tt.points, roster.Cycle)
					var ue *geo.UnreachableError
					if !errors.As(err, &ue) {
						t.Fatalf("Matrix = %v, %v; want an *UnreachableError", m, err)
					}
					if want := locate(tt.want, tt.points, tt.points); !reflect.DeepEqual(ue, want) {
						t.Errorf("UnreachableError = %+v, want %+v", ue, want)
					}
				})
			}
		}
	}
}

// TestConcurrencyBound checks that no more block requests run at once than
// Config.Concurrency allows.
func TestConcurrencyBound(t *testing.T) {
	for _, conc := range []int{1, 3} {
		t.Run(fmt.Sprintf("concurrency %d", conc), func(t *testing.T) {
			f := &fake{kind: engine.OSRM, delay: 5 * time.Millisecond}
			srv := serveFake(t, f)
			c := newClient(t, engine.Config{Kind: engine.OSRM, BaseURL: srv.URL, MaxLocations: 1, Concurrency: conc})
			if _, err := c.Matrix(context.Background(), grid5, roster.Drive); err != nil {
				t.Fatal(err)
			}
			if n := len(f.rec.all()); n != 25 {
				t.Errorf("%d requests, want 25", n)
			}
			if m := f.maxInFlight.Load(); m > int32(conc) {
				t.Errorf("%d requests at once, want at most %d", m, conc)
			}
		})
	}
}

// TestBlockErrorStopsTheRest checks that an engine's refusal of one block
// fails the whole matrix with the engine's message and the block's place.
func TestBlockErrorStopsTheRest(t *testing.T) {
	body := fixture(t, "osrm_error.json")
	var mu sync.Mutex
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls++
		mu.Unlock()
		w.WriteHeader(400)
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	c := newClient(t, engine.Config{Kind: engine.OSRM, BaseURL: srv.URL, MaxLocations: 1, Concurrency: 1})
	_, err := c.Matrix(context.Background(), grid5, roster.Drive)
	var ee *engine.EngineError
	if !errors.As(err, &ee) || ee.Code != "NoSegment" {
		t.Fatalf("Matrix error %v, want the engine's NoSegment", err)
	}
	if !strings.Contains(err.Error(), "sources 0-0 to destinations 0-0") {
		t.Errorf("error %q does not say which block failed", err)
	}
	if calls != 1 {
		t.Errorf("%d requests after the first failed, want none", calls-1)
	}
}

// stall is a handler that answers only when the request is abandoned.
func stall(started chan<- struct{}) http.HandlerFunc {
	var once sync.Once
	return func(w http.ResponseWriter, r *http.Request) {
		// The server notices a closed connection only once the body is read.
		_, _ = io.Copy(io.Discard, r.Body)
		if started != nil {
			once.Do(func() { close(started) })
		}
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}
}

// TestTimeout checks that each of the three limits on a request's time ends
// it with an error wrapping context.DeadlineExceeded.
func TestTimeout(t *testing.T) {
	const short = 50 * time.Millisecond
	tests := []struct {
		name string
		cfg  engine.Config
		ctx  func() (context.Context, context.CancelFunc)
	}{
		{name: "request timeout", cfg: engine.Config{RequestTimeout: short}},
		{name: "HTTP client timeout", cfg: engine.Config{HTTPClient: &http.Client{Timeout: short}}},
		{name: "caller deadline", ctx: func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), short)
		}},
	}
	for _, kind := range engine.Kinds {
		for _, tt := range tests {
			t.Run(string(kind)+"/"+tt.name, func(t *testing.T) {
				srv := httptest.NewServer(stall(nil))
				t.Cleanup(srv.Close)
				cfg := tt.cfg
				cfg.Kind, cfg.BaseURL = kind, srv.URL
				c := newClient(t, cfg)
				ctx, cancel := context.Background(), func() {}
				if tt.ctx != nil {
					ctx, cancel = tt.ctx()
				}
				defer cancel()
				start := time.Now()
				_, err := c.Matrix(ctx, leeds, roster.Drive)
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Fatalf("Matrix error %v, want one wrapping context.DeadlineExceeded", err)
				}
				if d := time.Since(start); d > 5*time.Second {
					t.Errorf("gave up after %s", d)
				}
			})
		}
	}
}

// TestCancel checks that cancelling the context ends requests in flight and
// sends none when it is already cancelled.
func TestCancel(t *testing.T) {
	for _, kind := range engine.Kinds {
		t.Run(string(kind)+"/in flight", func(t *testing.T) {
			started := make(chan struct{})
			srv := httptest.NewServer(stall(started))
			t.Cleanup(srv.Close)
			c := newClient(t, engine.Config{Kind: kind, BaseURL: srv.URL, MaxLocations: 2})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			go func() { <-started; cancel() }()
			_, err := c.Matrix(ctx, grid5, roster.Drive)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("Matrix error %v, want one wrapping context.Canceled", err)
			}
		})
		t.Run(string(kind)+"/before", func(t *testing.T) {
			srv, rec := serveFixture(t, 200, "osrm_table.json")
			c := newClient(t, engine.Config{Kind: kind, BaseURL: srv.URL})
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			_, _, err := c.Legs(ctx, leeds, leeds, roster.Drive)
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Legs error %v, want one wrapping context.Canceled", err)
			}
			if n := len(rec.all()); n != 0 {
				t.Errorf("%d requests sent after cancelling", n)
			}
		})
	}
}

// TestRefusedBeforeAsking checks inputs that fail, or need no request,
// without a word to the engine.
func TestRefusedBeforeAsking(t *testing.T) {
	tests := []struct {
		name     string
		from, to []roster.Location
		mode     roster.Mode
		wantErr  string
		wantLegs int
	}{
		{name: "no points", mode: roster.Drive},
		{name: "no destinations", from: leeds, mode: roster.Drive},
		{name: "public transport", from: leeds, to: leeds, mode: roster.Public, wantErr: `travel mode "public"`},
		{name: "unknown mode", from: leeds, to: leeds, mode: "hovercraft", wantErr: `travel mode "hovercraft"`},
		{name: "latitude out of range", from: []roster.Location{{Lat: 91, Lon: 0}}, to: leeds, mode: roster.Drive, wantErr: "from[0]"},
		{name: "longitude out of range", from: leeds, to: []roster.Location{leeds[0], {Lat: 0, Lon: -181}}, mode: roster.Drive, wantErr: "to[1]"},
	}
	for _, kind := range engine.Kinds {
		for _, tt := range tests {
			t.Run(string(kind)+"/"+tt.name, func(t *testing.T) {
				srv, rec := serveFixture(t, 200, "osrm_table.json")
				c := newClient(t, engine.Config{Kind: kind, BaseURL: srv.URL})
				dur, dist, err := c.Legs(context.Background(), tt.from, tt.to, tt.mode)
				if tt.wantErr == "" {
					if err != nil || len(dur) != 0 || len(dist) != 0 {
						t.Errorf("Legs = %v, %v, %v; want empty legs", dur, dist, err)
					}
				} else if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("Legs error %v, want one naming %s", err, tt.wantErr)
				}
				if n := len(rec.all()); n != 0 {
					t.Errorf("%d requests sent", n)
				}
			})
		}
	}
}

// TestNew checks the defaults New fills in and the configurations it
// refuses.
func TestNew(t *testing.T) {
	tests := []struct {
		name        string
		cfg         engine.Config
		wantErr     string
		wantMax     int
		wantProfile map[roster.Mode]string
	}{
		{name: "osrm defaults", cfg: engine.Config{Kind: engine.OSRM, BaseURL: "http://localhost:5000"}, wantMax: 100,
			wantProfile: map[roster.Mode]string{roster.Drive: "car", roster.Walk: "foot", roster.Cycle: "bike"}},
		{name: "valhalla defaults", cfg: engine.Config{Kind: engine.Valhalla, BaseURL: "http://localhost:8002/"}, wantMax: 50,
			wantProfile: map[roster.Mode]string{roster.Drive: "auto", roster.Walk: "pedestrian", roster.Cycle: "bicycle"}},
		{name: "graphhopper defaults", cfg: engine.Config{Kind: engine.GraphHopper, BaseURL: "https://graphhopper.com/api/1", APIKey: "k"}, wantMax: 30,
			wantProfile: map[roster.Mode]string{roster.Drive: "car", roster.Walk: "foot", roster.Cycle: "bike"}},
		{name: "overrides", cfg: engine.Config{Kind: engine.OSRM, BaseURL: "http://localhost:5000", MaxLocations: 7,
			Profiles: map[roster.Mode]string{roster.Drive: "driving", roster.Public: "bus"}}, wantMax: 7,
			wantProfile: map[roster.Mode]string{roster.Drive: "driving", roster.Walk: "foot", roster.Cycle: "bike", roster.Public: "bus"}},

		{name: "no kind", cfg: engine.Config{BaseURL: "http://localhost:5000"}, wantErr: "unknown kind"},
		{name: "unknown kind", cfg: engine.Config{Kind: "ors", BaseURL: "http://localhost:5000"}, wantErr: `unknown kind "ors"`},
		{name: "no base URL", cfg: engine.Config{Kind: engine.OSRM}, wantErr: "base URL"},
		{name: "no scheme", cfg: engine.Config{Kind: engine.OSRM, BaseURL: "localhost:5000"}, wantErr: "base URL"},
		{name: "query in base URL", cfg: engine.Config{Kind: engine.GraphHopper, BaseURL: "https://graphhopper.com/api/1?key=k"}, wantErr: "must not carry a query"},
		{name: "credentials in base URL", cfg: engine.Config{Kind: engine.OSRM, BaseURL: "http://u:p@localhost:5000"}, wantErr: "credentials"},
		{name: "key for osrm", cfg: engine.Config{Kind: engine.OSRM, BaseURL: "http://localhost:5000", APIKey: "k"}, wantErr: "only sent to graphhopper"},
		{name: "profile with a slash", cfg: engine.Config{Kind: engine.OSRM, BaseURL: "http://localhost:5000", Profiles: map[roster.Mode]string{roster.Drive: "car/x"}}, wantErr: "profiles.drive"},
		{name: "empty profile", cfg: engine.Config{Kind: engine.Valhalla, BaseURL: "http://localhost:8002", Profiles: map[roster.Mode]string{roster.Walk: ""}}, wantErr: "profiles.walk"},
		{name: "profile for unknown mode", cfg: engine.Config{Kind: engine.Valhalla, BaseURL: "http://localhost:8002", Profiles: map[roster.Mode]string{"boat": "ferry"}}, wantErr: `unknown mode "boat"`},
		{name: "negative timeout", cfg: engine.Config{Kind: engine.OSRM, BaseURL: "http://localhost:5000", RequestTimeout: -time.Second}, wantErr: "request timeout"},
		{name: "negative max locations", cfg: engine.Config{Kind: engine.OSRM, BaseURL: "http://localhost:5000", MaxLocations: -1}, wantErr: "max locations"},
		{name: "negative concurrency", cfg: engine.Config{Kind: engine.OSRM, BaseURL: "http://localhost:5000", Concurrency: -2}, wantErr: "concurrency"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := engine.New(tt.cfg)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("New error %v, want one containing %q", err, tt.wantErr)
				}
				if !strings.HasPrefix(err.Error(), "geo: ") {
					t.Errorf("error %q lacks the geo: prefix", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Kind() != tt.cfg.Kind {
				t.Errorf("Kind = %q", c.Kind())
			}
			if c.MaxLocations() != tt.wantMax {
				t.Errorf("MaxLocations = %d, want %d", c.MaxLocations(), tt.wantMax)
			}
			for _, m := range roster.Modes {
				got, err := c.Profile(m)
				want, ok := tt.wantProfile[m]
				if ok != (err == nil) || got != want {
					t.Errorf("Profile(%s) = %q, %v; want %q", m, got, err, want)
				}
			}
		})
	}
}

// TestParseKind checks the names a flag may give.
func TestParseKind(t *testing.T) {
	tests := []struct {
		in   string
		want engine.Kind
		ok   bool
	}{
		{"osrm", engine.OSRM, true},
		{" Valhalla ", engine.Valhalla, true},
		{"GRAPHHOPPER", engine.GraphHopper, true},
		{"", "", false},
		{"google", "", false},
	}
	for _, tt := range tests {
		got, err := engine.ParseKind(tt.in)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("ParseKind(%q) = %q, %v; want %q, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

// TestSource checks what plans record, and that an API key is not part of
// it.
func TestSource(t *testing.T) {
	tests := []struct {
		cfg  engine.Config
		want roster.TravelSource
	}{
		{engine.Config{Kind: engine.OSRM, BaseURL: "http://osrm.internal:5000", Version: "gb-2024-06-01"},
			roster.TravelSource{Provider: "osrm", Version: "gb-2024-06-01@osrm.internal:5000"}},
		{engine.Config{Kind: engine.Valhalla, BaseURL: "http://valhalla.internal:8002/"},
			roster.TravelSource{Provider: "valhalla", Version: "valhalla.internal:8002"}},
		{engine.Config{Kind: engine.GraphHopper, BaseURL: "https://graphhopper.com/api/1", APIKey: "s3cret", Version: "hosted"},
			roster.TravelSource{Provider: "graphhopper", Version: "hosted@graphhopper.com"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.cfg.Kind), func(t *testing.T) {
			c := newClient(t, tt.cfg)
			if got := c.Source(); got != tt.want {
				t.Errorf("Source = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestUsableAsProvider checks that a Client serves geo.ForInstance.
func TestUsableAsProvider(t *testing.T) {
	srv, _ := serveFixture(t, 200, "osrm_table.json")
	var p geo.Provider = newClient(t, engine.Config{Kind: engine.OSRM, BaseURL: srv.URL, Version: "test"})
	// One client at the city centre and one driving carer from Headingley
	// to Kirkgate: the instance's points are leeds, in order.
	in := &roster.Instance{
		Clients: []roster.Client{{ID: "c1", Location: leeds[0]}},
		Carers:  []roster.Carer{{ID: "k1", Start: leeds[1], End: &leeds[2], Mode: roster.Drive}},
	}
	ms, err := geo.ForInstance(context.Background(), p, in)
	if err != nil {
		t.Fatal(err)
	}
	if dur, dist := ms.Leg(roster.Drive, 0, 1); dur != 412 || dist != 2870 {
		t.Errorf("Leg(drive, 0, 1) = %d s, %d m; want 412 s, 2870 m", dur, dist)
	}
	if want := (roster.TravelSource{Provider: "osrm", Version: "test@" + strings.TrimPrefix(srv.URL, "http://")}); ms.Source() != want {
		t.Errorf("Source = %+v, want %+v", ms.Source(), want)
	}
}

// locate returns a copy of want whose pairs carry their places, from
// among from and to.
func locate(want *geo.UnreachableError, from, to []roster.Location) *geo.UnreachableError {
	out := *want
	out.Pairs = append([]geo.Pair(nil), want.Pairs...)
	for k, p := range out.Pairs {
		out.Pairs[k].FromAt, out.Pairs[k].ToAt = from[p.From], to[p.To]
	}
	return &out
}
