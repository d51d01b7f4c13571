package output

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

// LedgerFile is the file in an output folder that lists every path
// framelens created there. It is the only proof of ownership OutDir
// accepts: a path it does not list is never removed nor replaced.
const LedgerFile = ".framelens-out.json"

// Sentinel errors of OpenOutDir and OutDir, for errors.Is.
var (
	// ErrUnsafeOut: the folder is one framelens must never write into
	// (the file-system root, the home folder, the corpus or a folder
	// that contains it).
	ErrUnsafeOut = errors.New("unsafe output folder")
	// ErrOutNotEmpty: the folder holds files framelens did not write and
	// the caller did not allow adding tables beside them.
	ErrOutNotEmpty = errors.New("output folder holds files framelens did not write")
	// ErrNotOwned: a path framelens needs already exists and was not
	// written by framelens.
	ErrNotOwned = errors.New("not written by framelens")
	// ErrOutLocked: another framelens process holds the folder.
	ErrOutLocked = errors.New("output folder in use by another framelens process")
)

// DirOptions configure OpenOutDir. The zero value accepts only a new,
// empty or framelens-written folder.
type DirOptions struct {
	// Overwrite accepts a folder that holds other files: framelens adds
	// its own beside them, and still never removes or replaces them.
	Overwrite bool
	// Protect lists paths (the corpus) that the folder must not be,
	// contain or lie inside.
	Protect []string
	// Command names what holds the folder, for the lock message.
	Command string
	// Legacy lists the names an older framelens wrote without a ledger.
	// A folder with no ledger but with a run.json, shard.json or state
	// folder of framelens's is adopted: these names become owned.
	Legacy []string
}

// OutDir is an output folder held by one framelens process. Every path
// under it is created through Claim and removed through Remove or
// RemoveDir, which refuse paths the ledger does not list: a run pointed
// at a folder of the user's own files, even ones named like tables,
// touches none of them. The folder is locked (flock) until Close.
type OutDir struct {
	path string
	lock *os.File
	// mu guards the ledger: the corpus-level tables of a run are opened
	// and closed from concurrent steps.
	mu     sync.Mutex
	ledger ledger
	// fresh: this OutDir started the ledger, which Close removes again if
	// nothing it lists was created (a refused run leaves no trace).
	fresh bool
}

type ledger struct {
	Tool   string   `json:"tool"`
	About  string   `json:"about"`
	Paths  []string `json:"paths"`
	Holder *holder  `json:"holder,omitempty"`
}

type holder struct {
	PID     int    `json:"pid"`
	Host    string `json:"host"`
	Command string `json:"command"`
	Started string `json:"started"`
}

const ledgerAbout = "paths framelens created in this folder; it removes or replaces only these"

// OpenOutDir creates (if needed), checks and locks the output folder
// path. See DirOptions for what it accepts.
func OpenOutDir(path string, opts DirOptions) (*OutDir, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("--out %s: %w", path, err)
	}
	if err := checkSafe(abs, opts.Protect); err != nil {
		return nil, fmt.Errorf("--out %s: %w", path, err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, fmt.Errorf("--out %s: %w", path, err)
	}
	d := &OutDir{path: path}
	if d.lock, err = lockDir(abs); err != nil {
		if errors.Is(err, ErrOutLocked) {
			return nil, fmt.Errorf("--out %s: %w%s; wait for it to finish or choose another --out", path, ErrOutLocked, d.holderText())
		}
		return nil, fmt.Errorf("--out %s: locking: %w", path, err)
	}
	ok := false
	defer func() {
		if !ok {
			d.lock.Close()
		}
	}()
	if err := d.load(opts); err != nil {
		return nil, err
	}
	host, _ := os.Hostname()
	d.ledger.Holder = &holder{PID: os.Getpid(), Host: host, Command: opts.Command, Started: time.Now().UTC().Format(time.RFC3339)}
	if err := d.save(); err != nil {
		return nil, err
	}
	ok = true
	return d, nil
}

// checkSafe refuses the roots and any folder that is, contains or lies
// inside a protected path.
func checkSafe(abs string, protect []string) error {
	real := resolve(abs)
	if filepath.Dir(real) == real {
		return fmt.Errorf("%w: it is the root of the file system", ErrUnsafeOut)
	}
	if home, err := os.UserHomeDir(); err == nil && home != "" && real == resolve(home) {
		return fmt.Errorf("%w: it is the home folder; give a new folder such as %s", ErrUnsafeOut, filepath.Join(home, "framelens-out"))
	}
	for _, p := range protect {
		if p == "" {
			continue
		}
		pa, err := filepath.Abs(p)
		if err != nil {
			continue
		}
		pr := resolve(pa)
		switch {
		case real == pr:
			return fmt.Errorf("%w: it is the corpus %s", ErrUnsafeOut, p)
		case within(pr, real):
			return fmt.Errorf("%w: it contains the corpus %s; write the tables to a folder outside the corpus", ErrUnsafeOut, p)
		case within(real, pr):
			return fmt.Errorf("%w: it is inside the corpus %s, whose next run would read the tables as documents; write them outside the corpus", ErrUnsafeOut, p)
		}
	}
	return nil
}

// resolve follows the symbolic links of the longest existing prefix of
// abs, so that a link to the corpus is seen as the corpus.
func resolve(abs string) string {
	rest := ""
	for p := abs; ; p = filepath.Dir(p) {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(r, rest)
		}
		if filepath.Dir(p) == p {
			return abs
		}
		rest = filepath.Join(filepath.Base(p), rest)
	}
}

// within reports whether path lies strictly inside dir.
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// load reads the ledger, adopts a folder an older framelens wrote, or
// starts a ledger for a new or empty folder.
func (d *OutDir) load(opts DirOptions) error {
	b, err := os.ReadFile(d.join(LedgerFile))
	switch {
	case err == nil:
		if err := json.Unmarshal(b, &d.ledger); err != nil || d.ledger.Tool != "framelens" {
			return fmt.Errorf("--out %s: %s is not a framelens ledger (%v); remove it if you wrote it, or choose another --out", d.path, d.join(LedgerFile), err)
		}
		return nil
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("--out %s: %w", d.path, err)
	}
	d.ledger = ledger{Tool: "framelens", About: ledgerAbout}
	d.fresh = true
	entries, err := os.ReadDir(d.path)
	if err != nil {
		return fmt.Errorf("--out %s: %w", d.path, err)
	}
	if len(entries) == 0 {
		return nil
	}
	if legacyOutput(d.path) {
		for _, name := range opts.Legacy {
			if _, err := os.Lstat(d.join(name)); err == nil {
				d.ledger.Paths = append(d.ledger.Paths, name)
			}
		}
		slices.Sort(d.ledger.Paths)
		return nil
	}
	if opts.Overwrite {
		return nil
	}
	var names []string
	for i, e := range entries {
		if i == 5 {
			names = append(names, fmt.Sprintf("and %d more", len(entries)-5))
			break
		}
		names = append(names, e.Name())
	}
	return fmt.Errorf("--out %s: %w (%s): give a new or empty folder, or add --overwrite to write the tables beside them (framelens never removes or replaces a file it did not write)",
		d.path, ErrOutNotEmpty, strings.Join(names, ", "))
}

// legacyOutput reports whether dir holds the run.json, shard.json or
// state header of a framelens that wrote no ledger.
func legacyOutput(dir string) bool {
	for _, name := range []string{"run.json", "shard.json", filepath.Join(".framelens", "state.json")} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			continue
		}
		var m struct {
			V string `json:"framelens_version"`
		}
		if json.Unmarshal(b, &m) == nil && m.V != "" {
			return true
		}
	}
	return false
}

func (d *OutDir) save() error {
	b, err := json.MarshalIndent(d.ledger, "", "  ")
	if err != nil {
		return err
	}
	return WriteFileAtomic(d.join(LedgerFile), 0o644, func(w io.Writer) error {
		_, err := w.Write(append(b, '\n'))
		return err
	})
}

// holderText describes the process named in the ledger, for the lock
// error.
func (d *OutDir) holderText() string {
	b, err := os.ReadFile(d.join(LedgerFile))
	if err != nil {
		return ""
	}
	var l ledger
	if json.Unmarshal(b, &l) != nil || l.Holder == nil {
		return ""
	}
	h := l.Holder
	return fmt.Sprintf(" (framelens %s, pid %d on %s, started %s)", h.Command, h.PID, h.Host, h.Started)
}

// Path returns the folder as given.
func (d *OutDir) Path() string { return d.path }

// Join returns the path of rel inside the folder.
func (d *OutDir) join(rel string) string { return filepath.Join(d.path, rel) }

// Join returns the path of rel inside the folder, for reading.
func (d *OutDir) Join(rel string) string { return d.join(rel) }

// Owns reports whether rel (a name directly under the folder, or a path
// below an owned name) is framelens's.
func (d *OutDir) Owns(rel string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.owns(rel)
}

func (d *OutDir) owns(rel string) bool {
	top := strings.SplitN(filepath.ToSlash(filepath.Clean(rel)), "/", 2)[0]
	_, found := slices.BinarySearch(d.ledger.Paths, top)
	return found
}

// Claim records that framelens is about to create name (a name directly
// under the folder) and its temporary sibling name+".tmp". It fails with
// ErrNotOwned if either already exists and is not framelens's.
func (d *OutDir) Claim(name string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.owns(name) {
		return nil
	}
	if strings.ContainsRune(filepath.ToSlash(name), '/') || name == LedgerFile {
		return fmt.Errorf("claim %q: not a name directly under %s", name, d.path)
	}
	for _, n := range []string{name, name + ".tmp"} {
		if _, err := os.Lstat(d.join(n)); err == nil {
			return fmt.Errorf("%s: %w; move it, or choose another --out", d.join(n), ErrNotOwned)
		}
	}
	d.ledger.Paths = append(d.ledger.Paths, name, name+".tmp")
	slices.Sort(d.ledger.Paths)
	d.ledger.Paths = slices.Compact(d.ledger.Paths)
	return d.save()
}

// Remove removes the file rel if framelens owns it; a missing file is
// not an error. It never removes a folder (see RemoveDir).
func (d *OutDir) Remove(rel string) error {
	p := d.join(rel)
	st, err := os.Lstat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !d.Owns(rel) {
		return fmt.Errorf("%s: %w; framelens leaves it alone: move it, or choose another --out", p, ErrNotOwned)
	}
	if st.IsDir() {
		return fmt.Errorf("%s: a folder where framelens writes a file; move it, or choose another --out", p)
	}
	return os.Remove(p)
}

// RemoveDir removes, in the owned folder rel, the files whose names ours
// accepts (the only names framelens gives its files there), and then the
// folder if nothing else is left in it. A file of another name stays and
// is named in the error: framelens cannot prove it wrote it.
func (d *OutDir) RemoveDir(rel string, ours func(name string) bool) error {
	p := d.join(rel)
	entries, err := os.ReadDir(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !d.Owns(rel) {
		return fmt.Errorf("%s: %w; framelens leaves it alone: move it, or choose another --out", p, ErrNotOwned)
	}
	var left []string
	for _, e := range entries {
		if e.Type().IsRegular() && ours(e.Name()) {
			if err := os.Remove(filepath.Join(p, e.Name())); err != nil {
				return err
			}
			continue
		}
		left = append(left, e.Name())
	}
	if len(left) > 0 {
		return fmt.Errorf("%s holds %s, which framelens did not write: move it out, then run again", p, strings.Join(left, ", "))
	}
	return os.Remove(p)
}

// Close releases the lock and clears the holder from the ledger.
func (d *OutDir) Close() error {
	if d == nil || d.lock == nil {
		return nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.ledger.Holder = nil
	var err error
	if d.fresh && !d.wroteAny() {
		err = os.Remove(d.join(LedgerFile))
	} else {
		err = d.save()
	}
	if cerr := d.lock.Close(); err == nil {
		err = cerr
	}
	d.lock = nil
	return err
}

// wroteAny reports whether a path the ledger lists exists.
func (d *OutDir) wroteAny() bool {
	for _, p := range d.ledger.Paths {
		if _, err := os.Lstat(d.join(p)); err == nil {
			return true
		}
	}
	return false
}

// partFile matches the names of a Parts table's files.
var partFile = regexp.MustCompile(`^part-\d{5,}\.(parquet|arrow)(\.tmp)?$`)

// IsPartFile reports whether name is the name of a part file framelens
// writes in a Parts table's folder.
func IsPartFile(name string) bool { return partFile.MatchString(name) }
