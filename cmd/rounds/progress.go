package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/rounds-dev/rounds/optimiser"
)

// Progress rates: a terminal's line is redrawn twice a second; a log gets a
// line every few seconds, so a long run makes a readable handful.
const (
	terminalProgressEvery = 500 * time.Millisecond
	logProgressEvery      = 5 * time.Second
)

// isTerminal reports whether w is a terminal (a character device), where a
// carriage return redraws a line in place. Pipes, files and buffers are not.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progressPrinter returns the progress callback for solve and how often it
// should be called: on a terminal one line redrawn in place, elsewhere one
// line per report at a lower rate, so that a log holds lines rather than
// one line kilobytes long.
func progressPrinter(w io.Writer) (func(optimiser.Progress), time.Duration) {
	return progressPrinterFor(w, isTerminal(w))
}

// progressPrinterFor is progressPrinter for a writer known to be a
// terminal or not.
func progressPrinterFor(w io.Writer, terminal bool) (func(optimiser.Progress), time.Duration) {
	line := func(p optimiser.Progress) string {
		return fmt.Sprintf("solving: %5.1fs  iteration %-7d  served %d/%d  travel %s",
			p.Elapsed.Seconds(), p.Iteration, p.Served, p.Served+p.Unserved, hm(p.TravelS))
	}
	if !terminal {
		return func(p optimiser.Progress) { fmt.Fprintln(w, line(p)) }, logProgressEvery
	}
	return func(p optimiser.Progress) {
		fmt.Fprintf(w, "\r%s ", line(p))
		if p.Done {
			fmt.Fprintln(w)
		}
	}, terminalProgressEvery
}
