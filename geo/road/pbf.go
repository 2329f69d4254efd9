package road

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"github.com/klauspost/compress/zlib"
	"github.com/klauspost/compress/zstd"
	"github.com/paulmach/osm"
)

// The limits the PBF format sets: a block header under 64 KiB, a block
// under 32 MiB packed or unpacked.
const (
	maxBlobHeader = 64 << 10
	maxBlob       = 32 << 20
)

// errCorrupt marks a PBF whose bytes do not follow the format.
var errCorrupt = fmt.Errorf("%w: corrupt PBF", ErrNotExtract)

// corrupt returns errCorrupt with a reason.
func corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errCorrupt, fmt.Sprintf(format, args...))
}

// readPBF reads a PBF extract: the header block in order, then the data
// blocks decoded on the workers and gathered in file order. It is this
// package's own reader, so that every index into a block is checked and a
// corrupt file is an error, never a panic in a goroutine no one can catch.
func readPBF(ctx context.Context, r io.Reader, opts Options) (*extract, error) {
	type job struct {
		seq  int
		blob []byte
	}
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		parts   []*extract
		errs    []error
		jobs    = make(chan job)
		workers = max(1, opts.Workers)
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				x, err := decodeDataBlob(j.blob, opts)
				mu.Lock()
				if err != nil {
					errs = append(errs, fmt.Errorf("block %d: %w", j.seq, err))
				} else {
					for len(parts) <= j.seq {
						parts = append(parts, nil)
					}
					parts[j.seq] = x
				}
				mu.Unlock()
			}
		}()
	}

	out := &extract{}
	err := func() error {
		defer close(jobs)
		for seq := 0; ; seq++ {
			if err := ctx.Err(); err != nil {
				return err
			}
			kind, blob, err := nextBlob(r)
			if err == io.EOF {
				if seq == 0 {
					return corrupt("no blocks")
				}
				return nil
			}
			if err != nil {
				return err
			}
			switch {
			case seq == 0 && kind != "OSMHeader":
				return corrupt("the first block is %q, not OSMHeader", kind)
			case kind == "OSMHeader":
				ts, err := decodeHeaderBlob(blob)
				if err != nil {
					return err
				}
				out.replication = ts
			case kind == "OSMData":
				jobs <- job{seq, blob}
			}
		}
	}()
	wg.Wait()
	if err != nil {
		return nil, err
	}
	if len(errs) > 0 {
		return nil, errs[0]
	}
	for _, p := range parts {
		if p != nil {
			out.merge(p)
		}
	}
	return out, nil
}

// nextBlob reads one block: its header's type and the block's bytes.
func nextBlob(r io.Reader) (kind string, blob []byte, err error) {
	var size [4]byte
	if _, err := io.ReadFull(r, size[:]); err != nil {
		if err == io.EOF {
			return "", nil, io.EOF
		}
		return "", nil, corrupt("truncated block length: %v", err)
	}
	n := binary.BigEndian.Uint32(size[:])
	if n == 0 || n > maxBlobHeader {
		return "", nil, corrupt("block header of %d bytes", n)
	}
	hdr := make([]byte, n)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return "", nil, corrupt("truncated block header: %v", err)
	}
	dataSize := -1
	err = eachField(hdr, func(f field) error {
		switch {
		case f.num == 1 && f.wire == wireBytes:
			kind = string(f.b)
		case f.num == 3 && f.wire == wireVarint:
			if f.v > maxBlob {
				return corrupt("block of %d bytes", f.v)
			}
			dataSize = int(f.v)
		}
		return nil
	})
	if err != nil {
		return "", nil, err
	}
	if dataSize < 0 || kind == "" {
		return "", nil, corrupt("block header without type or size")
	}
	blob = make([]byte, dataSize)
	if _, err := io.ReadFull(r, blob); err != nil {
		return "", nil, corrupt("truncated %s block: %v", kind, err)
	}
	return kind, blob, nil
}

// unpackBlob returns a block's contents, inflating them if packed.
func unpackBlob(blob []byte) ([]byte, error) {
	var raw, zdata, zstdData []byte
	rawSize := -1
	err := eachField(blob, func(f field) error {
		switch {
		case f.num == 1 && f.wire == wireBytes:
			raw = f.b
		case f.num == 2 && f.wire == wireVarint:
			if f.v > maxBlob {
				return corrupt("block unpacks to %d bytes", f.v)
			}
			rawSize = int(f.v)
		case f.num == 3 && f.wire == wireBytes:
			zdata = f.b
		case f.num == 7 && f.wire == wireBytes:
			zstdData = f.b
		case f.num >= 4 && f.num <= 6:
			return fmt.Errorf("%w: a block packed in a way this reader does not know (field %d); repack the extract with zlib", ErrNotExtract, f.num)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	switch {
	case raw != nil:
		return raw, nil
	case rawSize < 0:
		return nil, corrupt("packed block without its unpacked size")
	case zdata != nil:
		zr, err := zlib.NewReader(bytes.NewReader(zdata))
		if err != nil {
			return nil, corrupt("zlib: %v", err)
		}
		out := make([]byte, rawSize)
		if _, err := io.ReadFull(zr, out); err != nil {
			return nil, corrupt("zlib: %v", err)
		}
		// Nothing may follow the promised size.
		if n, _ := zr.Read(make([]byte, 1)); n != 0 {
			return nil, corrupt("block unpacks to more than its stated %d bytes", rawSize)
		}
		return out, nil
	case zstdData != nil:
		out, err := pbfZstd.DecodeAll(zstdData, make([]byte, 0, rawSize))
		if err != nil || len(out) != rawSize {
			return nil, corrupt("zstd block: %v", err)
		}
		return out, nil
	}
	return nil, corrupt("block without data")
}

var pbfZstd, _ = zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(maxBlob))

// decodeHeaderBlob reads the header block: the features a reader must
// understand, and the replication time when the extract has one.
func decodeHeaderBlob(blob []byte) (time.Time, error) {
	data, err := unpackBlob(blob)
	if err != nil {
		return time.Time{}, err
	}
	var ts time.Time
	err = eachField(data, func(f field) error {
		switch {
		case f.num == 4 && f.wire == wireBytes:
			switch feature := string(f.b); feature {
			case "OsmSchema-V0.6", "DenseNodes":
			default:
				return fmt.Errorf("%w: the extract needs a reader that understands %q", ErrNotExtract, feature)
			}
		case f.num == 32 && f.wire == wireVarint:
			if f.v > 0 && f.v < 1<<40 {
				ts = time.Unix(int64(f.v), 0)
			}
		}
		return nil
	})
	return ts, err
}

// block is what a data block's groups are read against: its strings and
// coordinate encoding, and the indices of the keys looked for.
type block struct {
	strs                 [][]byte
	gran, latOff, lonOff int64
	highway, barrier     int // string indices, -1 when absent
	housenumber          int // addr:housenumber's string index, -1 when absent
}

func (b *block) str(i uint64) (string, error) {
	if i >= uint64(len(b.strs)) {
		return "", corrupt("string %d of a table of %d", i, len(b.strs))
	}
	return string(b.strs[i]), nil
}

// decodeDataBlob reads a data block's nodes and routable ways.
func decodeDataBlob(blob []byte, opts Options) (*extract, error) {
	data, err := unpackBlob(blob)
	if err != nil {
		return nil, err
	}
	b := block{gran: 100, highway: -1, barrier: -1, housenumber: -1}
	var groups [][]byte
	err = eachField(data, func(f field) error {
		switch {
		case f.num == 1 && f.wire == wireBytes:
			return eachField(f.b, func(sf field) error {
				if sf.num != 1 || sf.wire != wireBytes {
					return nil
				}
				switch string(sf.b) {
				case "highway":
					b.highway = len(b.strs)
				case "barrier":
					b.barrier = len(b.strs)
				case "addr:housenumber":
					b.housenumber = len(b.strs)
				}
				b.strs = append(b.strs, sf.b)
				return nil
			})
		case f.num == 2 && f.wire == wireBytes:
			groups = append(groups, f.b)
		case f.num == 17 && f.wire == wireVarint:
			if f.v == 0 || f.v > 1e9 {
				return corrupt("granularity %d", f.v)
			}
			b.gran = int64(f.v)
		case f.num == 19 && f.wire == wireVarint:
			b.latOff = int64(f.v)
		case f.num == 20 && f.wire == wireVarint:
			b.lonOff = int64(f.v)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	x := &extract{}
	for _, g := range groups {
		err := eachField(g, func(f field) error {
			if f.wire != wireBytes {
				return nil
			}
			switch f.num {
			case 1:
				return b.node(f.b, x)
			case 2:
				return b.dense(f.b, x)
			case 3:
				return b.way(f.b, x, opts)
			case 4:
				return b.relation(f.b, x)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return x, nil
}

// coord turns a stored latitude or longitude into degrees.
func (b *block) coord(off, v int64) float64 { return 1e-9 * float64(off+b.gran*v) }

// tags builds the tags of an element from parallel key and value indices.
func (b *block) tags(keys, vals []uint64) (osm.Tags, error) {
	if len(keys) != len(vals) {
		return nil, corrupt("%d keys but %d values", len(keys), len(vals))
	}
	tags := make(osm.Tags, len(keys))
	for i := range keys {
		k, err := b.str(keys[i])
		if err != nil {
			return nil, err
		}
		v, err := b.str(vals[i])
		if err != nil {
			return nil, err
		}
		tags[i] = osm.Tag{Key: k, Value: v}
	}
	return tags, nil
}

// node reads one node stored on its own (rare; most files use dense).
func (b *block) node(data []byte, x *extract) error {
	var id, lat, lon int64
	var keys, vals []uint64
	err := eachField(data, func(f field) error {
		var err error
		switch {
		case f.num == 1 && f.wire == wireVarint:
			id = unzig(f.v)
		case f.num == 8 && f.wire == wireVarint:
			lat = unzig(f.v)
		case f.num == 9 && f.wire == wireVarint:
			lon = unzig(f.v)
		case f.num == 2 && f.wire == wireBytes:
			keys, err = unpackVarints(f.b)
		case f.num == 3 && f.wire == wireBytes:
			vals, err = unpackVarints(f.b)
		}
		return err
	})
	if err != nil {
		return err
	}
	tags, err := b.tags(keys, vals)
	if err != nil {
		return err
	}
	x.addNode(id, b.coord(b.latOff, lat), b.coord(b.lonOff, lon), tags)
	return nil
}

// dense reads a group of densely stored nodes: delta-coded ids and
// coordinates, and their tags as key, value, ..., 0 per node.
func (b *block) dense(data []byte, x *extract) error {
	fs, err := lengthFields(data, 1, 8, 9, 10)
	if err != nil {
		return err
	}
	ids, lats, lons, kv := fs[0], fs[1], fs[2], fs[3]
	pi, pla, plo, pkv := pb{ids}, pb{lats}, pb{lons}, pb{kv}
	var id, lat, lon int64
	for !pi.done() {
		di, err := pi.varint()
		if err != nil {
			return err
		}
		dla, err1 := pla.varint()
		dlo, err2 := plo.varint()
		if err1 != nil || err2 != nil {
			return corrupt("dense nodes: fewer coordinates than ids")
		}
		id, lat, lon = id+unzig(di), lat+unzig(dla), lon+unzig(dlo)
		// Only the tags that matter are kept: a traffic signal or a
		// barrier for routing, an address for Addresses; the rest are
		// read past.
		var tags osm.Tags
		if len(kv) > 0 {
			wanted := false
			var keys, vals []uint64
			for {
				k, err := pkv.varint()
				if err != nil {
					return corrupt("dense nodes: tags cut short")
				}
				if k == 0 {
					break
				}
				v, err := pkv.varint()
				if err != nil {
					return corrupt("dense nodes: a key without a value")
				}
				keys, vals = append(keys, k), append(vals, v)
				wanted = wanted || int(k) == b.highway || int(k) == b.barrier || int(k) == b.housenumber
			}
			if wanted {
				if tags, err = b.tags(keys, vals); err != nil {
					return err
				}
			}
		}
		x.addNode(id, b.coord(b.latOff, lat), b.coord(b.lonOff, lon), tags)
	}
	if !pla.done() || !plo.done() {
		return corrupt("dense nodes: more coordinates than ids")
	}
	return nil
}

// way reads one way, keeping it only if it is routable by some mode or
// has an address.
func (b *block) way(data []byte, x *extract, opts Options) error {
	fs, err := lengthFields(data, 2, 3, 8)
	if err != nil {
		return err
	}
	var wayID int64
	err = eachField(data, func(f field) error {
		if f.num == 1 && f.wire == wireVarint {
			wayID = int64(f.v)
		}
		return nil
	})
	if err != nil {
		return err
	}
	keys, vals, refs := fs[0], fs[1], fs[2]
	ks, err := unpackVarints(keys)
	if err != nil {
		return err
	}
	wanted := false
	for _, k := range ks {
		wanted = wanted || int(k) == b.highway || int(k) == b.housenumber
	}
	if !wanted {
		return nil
	}
	vs, err := unpackVarints(vals)
	if err != nil {
		return err
	}
	tags, err := b.tags(ks, vs)
	if err != nil {
		return err
	}
	deltas, err := unpackVarints(refs)
	if err != nil {
		return err
	}
	nodes := make([]int64, len(deltas))
	var id int64
	for i, d := range deltas {
		id += unzig(d)
		nodes[i] = id
	}
	x.addWay(wayID, nodes, tags, opts)
	return nil
}

// relation reads a relation, keeping it if it is a turn restriction.
func (b *block) relation(data []byte, x *extract) error {
	fs, err := lengthFields(data, 2, 3, 8, 9, 10)
	if err != nil {
		return err
	}
	var lists [5][]uint64
	for i, f := range fs {
		if lists[i], err = unpackVarints(f); err != nil {
			return err
		}
	}
	tags, err := b.tags(lists[0], lists[1])
	if err != nil {
		return err
	}
	if tags.Find("type") != "restriction" {
		return nil
	}
	roles, ids, types := lists[2], lists[3], lists[4]
	if len(roles) != len(ids) || len(ids) != len(types) {
		return corrupt("a relation of %d roles, %d members and %d types", len(roles), len(ids), len(types))
	}
	members := make([]member, len(ids))
	var id int64
	for i := range ids {
		id += unzig(ids[i])
		role, err := b.str(roles[i])
		if err != nil {
			return err
		}
		kind := osm.TypeNode
		switch types[i] {
		case 1:
			kind = osm.TypeWay
		case 2:
			kind = osm.TypeRelation
		}
		members[i] = member{kind: kind, ref: id, role: role}
	}
	if r, ok := restrictionOf(tags, members); ok {
		x.restrictions = append(x.restrictions, r)
	}
	return nil
}

// The protocol buffer wire types a PBF uses.
const (
	wireVarint = 0
	wire64     = 1
	wireBytes  = 2
	wire32     = 5
)

// pb reads protocol buffer fields from a byte slice, checking every length
// against what is left.
type pb struct{ b []byte }

func (p *pb) done() bool { return len(p.b) == 0 }

func (p *pb) varint() (uint64, error) {
	v, n := binary.Uvarint(p.b)
	if n <= 0 {
		return 0, corrupt("bad varint")
	}
	p.b = p.b[n:]
	return v, nil
}

func (p *pb) next() (field, wire int, err error) {
	key, err := p.varint()
	if err != nil {
		return 0, 0, err
	}
	if key>>3 == 0 || key>>3 > 1<<29 {
		return 0, 0, corrupt("field number %d", key>>3)
	}
	return int(key >> 3), int(key & 7), nil
}

func (p *pb) bytes() ([]byte, error) {
	n, err := p.varint()
	if err != nil {
		return nil, err
	}
	if n > uint64(len(p.b)) {
		return nil, corrupt("field of %d bytes with %d left", n, len(p.b))
	}
	v := p.b[:n]
	p.b = p.b[n:]
	return v, nil
}

func (p *pb) skip(wire int) error {
	var n int
	switch wire {
	case wireVarint:
		_, err := p.varint()
		return err
	case wireBytes:
		_, err := p.bytes()
		return err
	case wire64:
		n = 8
	case wire32:
		n = 4
	default:
		return corrupt("wire type %d", wire)
	}
	if len(p.b) < n {
		return corrupt("field cut short")
	}
	p.b = p.b[n:]
	return nil
}

// lengthFields returns the last value of each of the given length-delimited
// fields of a message (nil for one that is absent), reading past the rest.
func lengthFields(data []byte, fields ...int) ([][]byte, error) {
	out := make([][]byte, len(fields))
	err := eachField(data, func(f field) error {
		if k := slices.Index(fields, f.num); k >= 0 && f.wire == wireBytes {
			out[k] = f.b
		}
		return nil
	})
	return out, err
}

// field is one field of a message: its number and wire type, and its
// value, a varint or the bytes of a length-delimited field.
type field struct {
	num, wire int
	v         uint64
	b         []byte
}

// eachField calls fn for every varint and length-delimited field of a
// message in order, reading past fixed-width ones, and stops at the first
// error.
func eachField(data []byte, fn func(field) error) error {
	p := pb{data}
	for !p.done() {
		num, wire, err := p.next()
		if err != nil {
			return err
		}
		f := field{num: num, wire: wire}
		switch wire {
		case wireVarint:
			f.v, err = p.varint()
		case wireBytes:
			f.b, err = p.bytes()
		default:
			err = p.skip(wire)
			if err == nil {
				continue
			}
		}
		if err != nil {
			return err
		}
		if err := fn(f); err != nil {
			return err
		}
	}
	return nil
}

// unpackVarints reads a packed list of varints.
func unpackVarints(b []byte) ([]uint64, error) {
	p := pb{b}
	var out []uint64
	for !p.done() {
		v, err := p.varint()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// unzig undoes zig-zag encoding of a signed varint.
func unzig(v uint64) int64 { return int64(v>>1) ^ -int64(v&1) }
