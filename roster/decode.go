package roster

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// MaxInputBytes is the largest document DecodeInstance and DecodePlan read.
// A locality's day is a few hundred kilobytes at most.
const MaxInputBytes = 32 << 20

// maxDecodeProblems bounds how many problems decoding lists before it stops.
const maxDecodeProblems = 1000

// DecodeInstance reads an instance from JSON and validates it. The JSON is
// read strictly: unknown fields, fields given twice, required fields left
// out, values of the wrong type, invalid UTF-8 and anything after the
// document are all rejected. Every error is a FieldErrors value naming each
// problem's field path, e.g. "visits[12].duration_min: want a number, got
// string"; a syntax error gives the line and column. The problems Validate
// finds are listed too, except those at fields that could not be decoded,
// so an instance returned without an error is always valid.
func DecodeInstance(r io.Reader) (*Instance, error) {
	data, es := readDocument(r)
	if es != nil {
		return nil, es
	}
	in := new(Instance)
	es, read := decodeDocument(data, in, true)
	if !read {
		return nil, es
	}
	if err := in.Validate(); err != nil {
		var ves FieldErrors
		if errors.As(err, &ves) {
			for _, e := range ves {
				if !pathCoveredBy(e.Path, es) {
					es = append(es, e)
				}
			}
		} else {
			es.add("", "%v", err)
		}
	}
	if len(es) > 0 {
		return nil, es
	}
	return in, nil
}

// DecodePlan reads a plan from JSON. It checks the syntax, the types and the
// field names (unknown fields and fields given twice are rejected) but not
// the plan's content: every field may be left out, and null is the same as
// leaving a field out. Check judges a plan against its instance. Every error
// is a FieldErrors value, as for DecodeInstance.
func DecodePlan(r io.Reader) (*Plan, error) {
	data, es := readDocument(r)
	if es != nil {
		return nil, es
	}
	p := new(Plan)
	if es, _ := decodeDocument(data, p, false); len(es) > 0 {
		return nil, es
	}
	return p, nil
}

// DecodeStrict reads the JSON document data into dst, a pointer to a
// struct, as strictly as DecodeInstance reads an instance: unknown fields,
// fields given twice, fields without omitempty left out or given as null,
// values of the wrong type and anything after the document are rejected,
// each problem a FieldError at its path ("locations[3].lat") with a reason
// in the format's words. It does not validate what it decodes. Services use
// it for every body that carries an instance's parts (changes, places), so
// that those parts are read as the instance itself would be.
func DecodeStrict(data []byte, dst any) error {
	v := reflect.ValueOf(dst)
	if !v.IsValid() || v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("roster: DecodeStrict needs a pointer to a struct, got %T", dst)
	}
	if len(data) > MaxInputBytes {
		return FieldErrors{{Reason: fmt.Sprintf("input is larger than %d MiB", MaxInputBytes>>20)}}
	}
	es, _ := decodeDocument(data, dst, true)
	return es.err()
}

// readDocument reads all of r, up to MaxInputBytes.
func readDocument(r io.Reader) ([]byte, FieldErrors) {
	if r == nil {
		return nil, FieldErrors{{Reason: "no input"}}
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxInputBytes+1))
	if err != nil {
		return nil, FieldErrors{{Reason: "reading input: " + err.Error()}}
	}
	if len(data) > MaxInputBytes {
		return nil, FieldErrors{{Reason: fmt.Sprintf("input is larger than %d MiB", MaxInputBytes>>20)}}
	}
	return data, nil
}

// pathCoveredBy reports whether path is one of the paths of es or lies inside
// one of them, so that a problem there follows from a decoding problem.
func pathCoveredBy(path string, es FieldErrors) bool {
	for _, e := range es {
		if e.Path == "" || path == e.Path {
			return true
		}
		if strings.HasPrefix(path, e.Path) {
			switch path[len(e.Path)] {
			case '.', '[':
				return true
			}
		}
	}
	return false
}

// decodeDocument decodes data into dst, a pointer to a struct, and reports
// whether the data was JSON at all: when it was not, dst is untouched and
// the one problem is the syntax error. In strict mode fields without
// omitempty are required (see jsonOptionalFields).
func decodeDocument(data []byte, dst any, strict bool) (FieldErrors, bool) {
	if !utf8.Valid(data) {
		p := 0
		for p < len(data) {
			r, n := utf8.DecodeRune(data[p:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			p += n
		}
		line, col := jsonPosition(data, p)
		return FieldErrors{{Path: jsonSyntaxPath(data[:p]), Reason: fmt.Sprintf("invalid JSON at line %d, column %d: invalid UTF-8", line, col)}}, false
	}
	if !json.Valid(data) {
		return FieldErrors{jsonSyntaxError(data)}, false
	}
	d := &jsonDecoder{strict: strict}
	start := jsonSkipSpace(data, 0)
	d.value(reflect.ValueOf(dst).Elem(), data[start:jsonSkipValue(data, start)], "")
	return d.errs, true
}

// jsonSyntaxError describes why data, which json.Valid rejects, is not JSON.
func jsonSyntaxError(data []byte) FieldError {
	err := json.Unmarshal(data, new(json.RawMessage))
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		if err == nil {
			err = errors.New("not a JSON document")
		}
		return FieldError{Reason: "invalid JSON: " + err.Error()}
	}
	msg := se.Error()
	p := int(se.Offset) - jsonOffsetBias()
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		msg, p = "the input is empty", len(data)
	case strings.Contains(msg, "unexpected end"),
		// At the end of the input the scanner reports a space it made up.
		int(se.Offset) >= len(data) && strings.Contains(msg, "invalid character ' '"):
		msg, p = "unexpected end of input", len(data)
	case strings.Contains(msg, "after top-level value"):
		msg = "unexpected data after the end of the document"
	}
	p = max(0, min(p, len(data)))
	line, col := jsonPosition(data, p)
	path := jsonSyntaxPath(data[:p])
	if strings.HasPrefix(msg, "unexpected data after") {
		path = ""
	}
	return FieldError{Path: path, Reason: fmt.Sprintf("invalid JSON at line %d, column %d: %s", line, col, msg)}
}

// jsonOffsetBias is how far past the offending byte encoding/json puts
// a SyntaxError's Offset: 1 for the classic jsonDecoder, 0 for the one built on
// encoding/json/v2 (GOEXPERIMENT=jsonv2).
var jsonOffsetBias = sync.OnceValue(func() int {
	var se *json.SyntaxError
	if errors.As(json.Unmarshal([]byte("x"), new(json.RawMessage)), &se) && se.Offset == 0 {
		return 0
	}
	return 1
})

// jsonPosition returns the 1-based line and column (in characters) of byte p of
// data.
func jsonPosition(data []byte, p int) (line, col int) {
	p = max(0, min(p, len(data)))
	before := data[:p]
	line = 1 + bytes.Count(before, []byte{'\n'})
	start := bytes.LastIndexByte(before, '\n') + 1
	col = 1 + utf8.RuneCount(before[start:])
	return line, col
}

// jsonSyntaxPath returns the field path at the end of prefix, the part of a
// document read before a syntax error.
func jsonSyntaxPath(prefix []byte) string {
	type frame struct {
		obj     bool
		haveKey bool
		key     string
		idx     int
	}
	var st []frame
	for i := 0; i < len(prefix); {
		switch prefix[i] {
		case '"':
			end, closed := jsonSkipString(prefix, i)
			if n := len(st); n > 0 && st[n-1].obj && !st[n-1].haveKey && closed {
				st[n-1].key, st[n-1].haveKey = jsonUnquote(prefix[i:end]), true
			}
			i = end
			continue
		case '{':
			st = append(st, frame{obj: true})
		case '[':
			st = append(st, frame{})
		case '}', ']':
			if len(st) > 0 {
				st = st[:len(st)-1]
			}
		case ',':
			if n := len(st); n > 0 {
				if st[n-1].obj {
					st[n-1].haveKey, st[n-1].key = false, ""
				} else {
					st[n-1].idx++
				}
			}
		}
		i++
	}
	// Documents nest a few levels deep; a path through thousands of levels
	// helps nobody, so it is cut short.
	const maxDepth = 32
	path := ""
	for i, f := range st {
		if i == maxDepth {
			return path + "…"
		}
		switch {
		case f.obj && f.haveKey:
			path = jsonKeyPath(path, f.key)
		case !f.obj:
			path = jsonIndexPath(path, f.idx)
		}
	}
	return path
}

// jsonKeyPath is the path of field key of the object at path.
func jsonKeyPath(path, key string) string {
	const maxKey = 64
	if len(key) > maxKey {
		cut := maxKey
		for cut > 0 && !utf8.RuneStart(key[cut]) {
			cut--
		}
		return path + "[" + strconv.Quote(key[:cut]) + "…]"
	}
	plain := key != ""
	for _, r := range key {
		if !(r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			plain = false
			break
		}
	}
	if !plain {
		return path + "[" + strconv.Quote(key) + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

// jsonIndexPath is the path of element i of the array at path.
func jsonIndexPath(path string, i int) string {
	return path + "[" + strconv.Itoa(i) + "]"
}

// The scanning helpers below walk JSON that json.Valid has accepted. They
// stay inside their slice on any input.

func jsonIsSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func jsonSkipSpace(b []byte, i int) int {
	for i < len(b) && jsonIsSpace(b[i]) {
		i++
	}
	return i
}

// jsonSkipString returns the end of the string starting at b[i] == '"' and
// whether it is closed within b.
func jsonSkipString(b []byte, i int) (int, bool) {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1, true
		}
	}
	return len(b), false
}

// jsonSkipValue returns the end of the value starting at b[i].
func jsonSkipValue(b []byte, i int) int {
	if i >= len(b) {
		return len(b)
	}
	switch b[i] {
	case '"':
		end, _ := jsonSkipString(b, i)
		return end
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i, _ = jsonSkipString(b, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return len(b)
	}
	for i < len(b) && !jsonIsSpace(b[i]) && b[i] != ',' && b[i] != '}' && b[i] != ']' {
		i++
	}
	return i
}

// jsonUnquote decodes a JSON string literal.
func jsonUnquote(lit []byte) string {
	if len(lit) >= 2 && bytes.IndexByte(lit, '\\') < 0 {
		return string(lit[1 : len(lit)-1])
	}
	var s string
	if err := json.Unmarshal(lit, &s); err != nil {
		return string(lit)
	}
	return s
}

// jsonMembers calls fn for each member of the object raw, in order.
func jsonMembers(raw []byte, fn func(key string, val []byte)) {
	i := jsonSkipSpace(raw, 0) + 1
	for i < len(raw) {
		i = jsonSkipSpace(raw, i)
		if i >= len(raw) || raw[i] == '}' {
			return
		}
		if raw[i] == ',' {
			i++
			continue
		}
		end, _ := jsonSkipString(raw, i)
		key := jsonUnquote(raw[i:end])
		i = jsonSkipSpace(raw, end)
		if i < len(raw) && raw[i] == ':' {
			i++
		}
		i = jsonSkipSpace(raw, i)
		vend := jsonSkipValue(raw, i)
		fn(key, raw[i:vend])
		i = vend
	}
}

// jsonElements calls fn for each element of the array raw, in order.
func jsonElements(raw []byte, fn func(i int, val []byte)) {
	n := 0
	i := jsonSkipSpace(raw, 0) + 1
	for i < len(raw) {
		i = jsonSkipSpace(raw, i)
		if i >= len(raw) || raw[i] == ']' {
			return
		}
		if raw[i] == ',' {
			i++
			continue
		}
		end := jsonSkipValue(raw, i)
		fn(n, raw[i:end])
		n++
		i = end
	}
}

// jsonCountElements is the number of elements of the array raw.
func jsonCountElements(raw []byte) int {
	n := 0
	jsonElements(raw, func(int, []byte) { n++ })
	return n
}

// jsonKind names the kind of the JSON value raw as a person would.
func jsonKind(raw []byte) string {
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}

// jsonShorten cuts a literal to a length fit for a message.
func jsonShorten(raw []byte) string {
	const n = 40
	if len(raw) <= n {
		return string(raw)
	}
	return string(raw[:n]) + "…"
}

var (
	jsonUnmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	jsonClockType       = reflect.TypeFor[Clock]()
)

// jsonDecoder fills Go values from validated JSON, collecting every problem
// with its path.
type jsonDecoder struct {
	strict bool
	errs   FieldErrors
	full   bool
}

func (d *jsonDecoder) fail(path, format string, args ...any) {
	if d.full {
		return
	}
	if len(d.errs) >= maxDecodeProblems {
		d.full = true
		d.errs.add("", "too many problems; only the first %d are listed", maxDecodeProblems)
		return
	}
	d.errs.add(path, format, args...)
}

// value decodes raw into v, which is settable. null is a problem here;
// optional fields that are null never reach value.
func (d *jsonDecoder) value(v reflect.Value, raw []byte, path string) {
	if d.full {
		return
	}
	t := v.Type()
	kind := jsonKind(raw)
	if t == jsonClockType {
		if kind != "string" {
			d.fail(path, "want a time as a string \"HH:MM\", got %s", kind)
			return
		}
	}
	if t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(jsonUnmarshalerType) {
		if err := v.Addr().Interface().(json.Unmarshaler).UnmarshalJSON(raw); err != nil {
			d.fail(path, "%s", err.Error())
		}
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		if kind == "null" {
			d.fail(path, "want %s, got null", jsonWant(t.Elem()))
			return
		}
		nv := reflect.New(t.Elem())
		d.value(nv.Elem(), raw, path)
		v.Set(nv)
	case reflect.Struct:
		if kind != "object" {
			d.fail(path, "want an object, got %s", kind)
			return
		}
		d.object(v, raw, path)
	case reflect.Slice:
		if kind != "array" {
			d.fail(path, "want an array, got %s", kind)
			return
		}
		n := jsonCountElements(raw)
		s := reflect.MakeSlice(t, n, n)
		jsonElements(raw, func(i int, val []byte) {
			d.value(s.Index(i), val, jsonIndexPath(path, i))
		})
		v.Set(s)
	case reflect.Map:
		if kind != "object" {
			d.fail(path, "want an object, got %s", kind)
			return
		}
		if t.Key().Kind() != reflect.String {
			d.fail(path, "cannot decode a map keyed by %s", t.Key())
			return
		}
		m := reflect.MakeMap(t)
		seen := map[string]bool{}
		jsonMembers(raw, func(key string, val []byte) {
			p := jsonKeyPath(path, key)
			if seen[key] {
				d.fail(p, "given more than once")
				return
			}
			seen[key] = true
			ev := reflect.New(t.Elem()).Elem()
			d.value(ev, val, p)
			m.SetMapIndex(reflect.ValueOf(key).Convert(t.Key()), ev)
		})
		v.Set(m)
	case reflect.String:
		if kind != "string" {
			d.fail(path, "want a string, got %s", kind)
			return
		}
		v.SetString(jsonUnquote(raw))
	case reflect.Bool:
		if kind != "boolean" {
			d.fail(path, "want true or false, got %s", kind)
			return
		}
		v.SetBool(raw[0] == 't')
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if kind != "number" {
			d.fail(path, "want a number, got %s", kind)
			return
		}
		n, err := strconv.ParseInt(string(raw), 10, t.Bits())
		if err != nil {
			d.numberError(path, raw)
			return
		}
		v.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if kind != "number" {
			d.fail(path, "want a number, got %s", kind)
			return
		}
		n, err := strconv.ParseUint(string(raw), 10, t.Bits())
		if err != nil {
			if raw[0] == '-' && !bytes.ContainsAny(raw, ".eE") {
				d.fail(path, "want a number of 0 or more, got %s", jsonShorten(raw))
				return
			}
			d.numberError(path, raw)
			return
		}
		v.SetUint(n)
	case reflect.Float32, reflect.Float64:
		if kind != "number" {
			d.fail(path, "want a number, got %s", kind)
			return
		}
		f, err := strconv.ParseFloat(string(raw), t.Bits())
		if err != nil {
			d.fail(path, "number %s is out of range", jsonShorten(raw))
			return
		}
		v.SetFloat(f)
	case reflect.Interface:
		nv := reflect.New(t)
		if err := json.Unmarshal(raw, nv.Interface()); err != nil {
			d.fail(path, "%s", err.Error())
			return
		}
		v.Set(nv.Elem())
	default:
		d.fail(path, "cannot decode a value of Go type %s", t)
	}
}

// numberError reports a number that does not fit a whole-number field.
func (d *jsonDecoder) numberError(path string, raw []byte) {
	if bytes.ContainsAny(raw, ".eE") {
		d.fail(path, "want a whole number, got %s", jsonShorten(raw))
		return
	}
	d.fail(path, "number %s is out of range", jsonShorten(raw))
}

// jsonWant names what a value of type t is written as.
func jsonWant(t reflect.Type) string {
	if t == jsonClockType {
		return `a time as a string "HH:MM"`
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Slice:
		return "an array"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Pointer:
		return jsonWant(t.Elem())
	}
	return "a number"
}

// object decodes the JSON object raw into the struct v.
func (d *jsonDecoder) object(v reflect.Value, raw []byte, path string) {
	info := jsonStructOf(v.Type())
	seen := make([]bool, len(info.fields))
	jsonMembers(raw, func(key string, val []byte) {
		p := jsonKeyPath(path, key)
		fi, ok := info.byName[key]
		if !ok {
			if near, ok := info.folded[strings.ToLower(key)]; ok {
				d.fail(p, "unknown field; did you mean %q?", near)
			} else {
				d.fail(p, "unknown field")
			}
			return
		}
		if seen[fi] {
			d.fail(p, "given more than once")
			return
		}
		seen[fi] = true
		f := info.fields[fi]
		if jsonKind(val) == "null" && !(d.strict && f.required) {
			return
		}
		d.value(v.Field(f.index), val, p)
	})
	if !d.strict {
		return
	}
	for i, f := range info.fields {
		if f.required && !seen[i] {
			d.fail(jsonKeyPath(path, f.name), "missing; this field is required")
		}
	}
}

// jsonOptionalFields lists the fields without omitempty that an instance may
// still leave out.
var jsonOptionalFields = map[string]bool{
	"Instance.clients":   true,
	"Instance.visits":    true,
	"Client.preferences": true,
}

type jsonField struct {
	name     string
	index    int
	required bool
}

type jsonStruct struct {
	fields []jsonField
	byName map[string]int
	folded map[string]string
}

var jsonStructs sync.Map // reflect.Type -> *jsonStruct

// jsonStructOf returns the JSON fields of struct type t.
func jsonStructOf(t reflect.Type) *jsonStruct {
	if si, ok := jsonStructs.Load(t); ok {
		return si.(*jsonStruct)
	}
	si := &jsonStruct{byName: map[string]int{}, folded: map[string]string{}}
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = sf.Name
		}
		omit := false
		for _, o := range strings.Split(opts, ",") {
			if o == "omitempty" || o == "omitzero" {
				omit = true
			}
		}
		required := !omit && !jsonOptionalFields[t.Name()+"."+name]
		si.byName[name] = len(si.fields)
		si.folded[strings.ToLower(name)] = name
		si.fields = append(si.fields, jsonField{name: name, index: i, required: required})
	}
	jsonStructs.Store(t, si)
	return si
}
