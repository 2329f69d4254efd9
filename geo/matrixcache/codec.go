package matrixcache

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/klauspost/compress/zstd"

	"github.com/rounds-dev/rounds/geo"
	"github.com/rounds-dev/rounds/roster"
)

// The stored form of a matrix: a magic word, the points (micro-degrees,
// each coordinate as a zig-zag varint difference from the previous point's)
// and the durations and distances as unsigned varints, all through
// Zstandard: about half the size of the packed int32s (see
// TestCodecRoundTrip), and several times faster to unpack than DEFLATE,
// which matters because unpacking is most of the cost of a cache hit.
const magic = "RMX2"

// maxPoints bounds what decode accepts, so that a corrupt or hostile entry
// cannot make it allocate without limit.
const maxPoints = 20000

// quantise turns a location into micro-degrees, the resolution of keys and
// stored points (about 10 cm).
func quantise(l roster.Location) [2]int32 {
	return [2]int32{int32(math.Round(l.Lat * 1e6)), int32(math.Round(l.Lon * 1e6))}
}

type entry struct {
	points [][2]int32
	m      *geo.Matrix
}

func encode(points [][2]int32, m *geo.Matrix) ([]byte, error) {
	raw := appendPoints([]byte(magic), points)
	for _, xs := range [][]int32{m.DurS, m.DistM} {
		for _, x := range xs {
			if x < 0 {
				return nil, errors.New("matrixcache: negative travel")
			}
			raw = binary.AppendUvarint(raw, uint64(x))
		}
	}
	return zstdEncoder.EncodeAll(raw, nil), nil
}

// maxRaw is the largest unpacked entry decode accepts: maxPoints points
// and their matrix, every value at its longest.
const maxRaw = len(magic) + 2*binary.MaxVarintLen32*maxPoints + 2*binary.MaxVarintLen32*maxPoints*maxPoints

// The encoder and decoder are safe for concurrent EncodeAll and DecodeAll.
var (
	zstdEncoder, _ = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(1))
	zstdDecoder, _ = zstd.NewReader(nil, zstd.WithDecoderConcurrency(0), zstd.WithDecoderMaxMemory(uint64(maxRaw)))
)

// appendPoints appends the point count and the points, each coordinate a
// zig-zag varint difference from the previous point's.
func appendPoints(b []byte, points [][2]int32) []byte {
	b = binary.AppendUvarint(b, uint64(len(points)))
	var prev [2]int32
	for _, p := range points {
		b = binary.AppendVarint(b, int64(p[0])-int64(prev[0]))
		b = binary.AppendVarint(b, int64(p[1])-int64(prev[1]))
		prev = p
	}
	return b
}

// readPoints reads what appendPoints wrote and returns the rest of b.
func readPoints(b []byte) ([][2]int32, []byte, error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > maxPoints {
		return nil, nil, errors.New("matrixcache: corrupt entry: bad point count")
	}
	b = b[k:]
	out := make([][2]int32, n)
	var prev [2]int64
	for i := range out {
		for c := 0; c < 2; c++ {
			d, k := binary.Varint(b)
			if k <= 0 {
				return nil, nil, errors.New("matrixcache: corrupt entry: short points")
			}
			b = b[k:]
			prev[c] += d
			if prev[c] < math.MinInt32 || prev[c] > math.MaxInt32 {
				return nil, nil, errors.New("matrixcache: corrupt entry: point out of range")
			}
			out[i][c] = int32(prev[c])
		}
	}
	return out, b, nil
}

func decode(data []byte) (*entry, error) {
	raw, err := zstdDecoder.DecodeAll(data, make([]byte, 0, 4*len(data)))
	if err != nil {
		return nil, fmt.Errorf("matrixcache: corrupt entry: %w", err)
	}
	if !bytes.HasPrefix(raw, []byte(magic)) {
		return nil, errors.New("matrixcache: corrupt entry: bad magic")
	}
	points, raw, err := readPoints(raw[len(magic):])
	if err != nil {
		return nil, err
	}
	if len(raw) < 2*len(points)*len(points) {
		return nil, errors.New("matrixcache: corrupt entry: short matrix")
	}
	e := &entry{points: points, m: geo.NewMatrix(len(points))}
	for _, xs := range [][]int32{e.m.DurS, e.m.DistM} {
		for i := range xs {
			var x uint64
			if len(raw) > 0 && raw[0] < 0x80 {
				x, raw = uint64(raw[0]), raw[1:]
			} else {
				var k int
				x, k = binary.Uvarint(raw)
				if k <= 0 {
					return nil, errors.New("matrixcache: corrupt entry: short matrix")
				}
				raw = raw[k:]
			}
			if x > math.MaxInt32 {
				return nil, errors.New("matrixcache: corrupt entry: value out of range")
			}
			xs[i] = int32(x)
		}
	}
	if len(raw) != 0 {
		return nil, errors.New("matrixcache: corrupt entry: trailing data")
	}
	return e, nil
}

// pointsMagic starts the stored form of a matrix's points alone, kept
// beside the matrix so that looking for shared points reads no matrix.
const pointsMagic = "RPT1"

func encodePoints(points [][2]int32) []byte {
	return appendPoints([]byte(pointsMagic), points)
}

func decodePoints(b []byte) ([][2]int32, error) {
	if !bytes.HasPrefix(b, []byte(pointsMagic)) {
		return nil, errors.New("matrixcache: corrupt points: bad magic")
	}
	points, rest, err := readPoints(b[len(pointsMagic):])
	if err != nil {
		return nil, err
	}
	if len(rest) != 0 {
		return nil, errors.New("matrixcache: corrupt points: trailing data")
	}
	return points, nil
}
