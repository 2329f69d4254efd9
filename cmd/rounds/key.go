package main

import (
	"bufio"
	"crypto/rand"
	"encoding/base64"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/rounds-dev/rounds/api"
)

// keyBytes is the size of a key made by rounds key new: 256 bits, beyond
// guessing however fast failed attempts come.
const keyBytes = 32

// runKey runs "rounds key new [NAME] [--admin]".
func runKey(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "new" {
		fmt.Fprintln(stderr, "usage: rounds key new [NAME] [--admin]")
		return exitUsage
	}
	fs := flag.NewFlagSet("key new", flag.ContinueOnError)
	fs.SetOutput(stderr)
	admin := fs.Bool("admin", false, "the key may read /metrics")
	fs.Usage = func() {
		fmt.Fprintln(stderr, `usage: rounds key new [NAME] [--admin]

Makes a random 256-bit API key and prints two lines on standard output:
  secret: the key itself, to give to its user (it is not stored anywhere)
  line:   the line to add to the keys file that rounds serve --keys reads,
          holding NAME (default "key") and the secret's SHA-256 hash`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(reorder(fs, args[1:])); err != nil {
		return flagExit(err)
	}
	name := "key"
	switch fs.NArg() {
	case 0:
	case 1:
		name = fs.Arg(0)
	default:
		fs.Usage()
		return exitUsage
	}
	if name == "" || strings.ContainsAny(name, "# \t\r\n") {
		fmt.Fprintf(stderr, "rounds key new: NAME: %q: want one word without spaces or #, e.g. coordinator\n", name)
		return exitUsage
	}
	secret, err := newKeySecret(rand.Reader)
	if err != nil {
		fmt.Fprintf(stderr, "rounds key new: %v\n", err)
		return exitFailure
	}
	line := name + " " + api.HashKey(secret)
	if *admin {
		line += " admin"
	}
	fmt.Fprintf(stdout, "secret: %s\nline: %s\n", secret, line)
	fmt.Fprintf(stderr, "rounds key new: give the secret to %s and keep it secret: it is shown only once and not stored. Add the line to the keys file (rounds serve --keys FILE).\n", name)
	return exitOK
}

// newKeySecret reads a key's 256 random bits from r and writes them in
// URL-safe base64 without padding, so the key fits a header or a URL as it is.
func newKeySecret(r io.Reader) (string, error) {
	b := make([]byte, keyBytes)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", fmt.Errorf("reading random bits: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// runHashKey prints the hash of an API key's secret, read from standard
// input (the first line) or, less safely, from the command line.
func runHashKey(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("hash-key", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, `usage: rounds hash-key [SECRET|-]

Prints the SHA-256 hash of an API key's secret, the form the keys file holds.
With no SECRET (or "-") the secret is the first line of standard input:
prefer that, since a secret on the command line lands in shell history and
process listings. "rounds key new" makes a new random key and its line.`)
	}
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	var secret string
	switch {
	case fs.NArg() > 1:
		fs.Usage()
		return exitUsage
	case fs.NArg() == 1 && fs.Arg(0) != "-":
		secret = fs.Arg(0)
	default:
		line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
		if err != nil && err != io.EOF {
			fmt.Fprintf(stderr, "rounds hash-key: reading the secret from standard input: %v\n", err)
			return exitFailure
		}
		secret = strings.TrimRight(line, "\r\n")
	}
	if secret == "" {
		fmt.Fprintln(stderr, "rounds hash-key: the secret is empty; give it on standard input, e.g. rounds hash-key < secret.txt")
		return exitUsage
	}
	fmt.Fprintln(stdout, api.HashKey(secret))
	return exitOK
}
