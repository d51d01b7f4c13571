package compare

import (
	"slices"
	"sync"
)

// Counts holds feature counts per group. The zero value is empty and ready
// to use. Shards counted apart combine with Merge; counts are plain sums, so
// the result does not depend on the order of Adds and Merges.
//
// Counts are gathered in maps and compared in a compact index (features
// sorted once, each group's counts as parallel id/count arrays, every group
// pooled), built on the first comparison. A comparison then costs one pass
// over arrays instead of a map lookup per feature and side, which matters
// when 200 groups are each compared with the rest over a million n-grams.
// Freeze drops the maps once counting is done, to keep only the index.
type Counts struct {
	groups map[string]map[string]int64 // nil once frozen
	totals map[string]int64            // every group, even with no counts

	mu sync.Mutex
	ix *index // built on first use, dropped by any change
}

// index is the compact, read-only form of Counts.
type index struct {
	feats []string // every feature of every group, sorted
	all   []int64  // pooled counts by feature id
	allN  int64
	rows  map[string]groupRow
	// The features by corpus count, for comparisons with the rest (rest.go).
	restOnce sync.Once
	bc       *byCount
}

// groupRow is one group's counts: feature ids in increasing order.
type groupRow struct {
	ids    []int32
	counts []int64
}

// frozen returns the index, building it if needed (safe for concurrent
// use once no more counts are added).
func (c *Counts) frozen() *index {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ix != nil {
		return c.ix
	}
	if c.totals == nil {
		c.totals = map[string]int64{} // an empty count frozen: AddGroup may follow
	}
	ix := &index{rows: make(map[string]groupRow, len(c.totals))}
	id := map[string]int32{} // first a set, then each feature's rank
	for _, m := range c.groups {
		for f := range m {
			id[f] = 0
		}
	}
	ix.feats = make([]string, 0, len(id))
	for f := range id {
		ix.feats = append(ix.feats, f)
	}
	slices.Sort(ix.feats)
	for i, f := range ix.feats {
		id[f] = int32(i)
	}
	ix.all = make([]int64, len(ix.feats))
	for g, n := range c.totals {
		m := c.groups[g]
		type cell struct {
			id int32
			n  int64
		}
		cells := make([]cell, 0, len(m))
		for f, n := range m {
			cells = append(cells, cell{id[f], n})
		}
		slices.SortFunc(cells, func(a, b cell) int { return int(a.id - b.id) })
		row := groupRow{ids: make([]int32, len(cells)), counts: make([]int64, len(cells))}
		for k, x := range cells {
			row.ids[k], row.counts[k] = x.id, x.n
			ix.all[x.id] += x.n
		}
		ix.rows[g] = row
		ix.allN += n
	}
	c.ix = ix
	return ix
}

// Freeze builds the compact index comparisons read and lets the maps go:
// call it once every count is added. A later Add rebuilds the maps.
func (c *Counts) Freeze() {
	c.frozen()
	c.mu.Lock()
	c.groups = nil
	c.mu.Unlock()
}

// thaw makes the maps current again before a change.
func (c *Counts) thaw() {
	if c.totals == nil {
		c.groups = map[string]map[string]int64{}
		c.totals = map[string]int64{}
	}
	if c.groups == nil {
		c.groups = make(map[string]map[string]int64, len(c.ix.rows))
		for g, row := range c.ix.rows {
			m := make(map[string]int64, len(row.ids))
			for k, i := range row.ids {
				m[c.ix.feats[i]] = row.counts[k]
			}
			c.groups[g] = m
		}
	}
	c.ix = nil
}

// Add adds n occurrences of feature to group.
func (c *Counts) Add(group, feature string, n int64) {
	if c.ix != nil || c.groups == nil {
		c.thaw()
	}
	m := c.groups[group]
	if m == nil {
		m = map[string]int64{}
		c.groups[group] = m
	}
	m[feature] += n
	c.totals[group] += n
}

// AddGroup records a group that may have no features (a group that never
// names an entity is still a side of a comparison).
func (c *Counts) AddGroup(group string) {
	if _, ok := c.totals[group]; ok {
		return
	}
	if c.ix != nil {
		// An empty group changes no feature and no total: the index
		// takes it as it is, without going back to maps.
		c.mu.Lock()
		c.ix.rows[group] = groupRow{}
		c.totals[group] = 0
		if c.groups != nil {
			c.groups[group] = map[string]int64{}
		}
		c.mu.Unlock()
		return
	}
	if c.groups == nil {
		c.thaw()
	}
	if c.groups[group] == nil {
		c.groups[group] = map[string]int64{}
	}
	c.totals[group] += 0
}

// Merge adds all counts of o to c.
func (c *Counts) Merge(o *Counts) {
	for _, g := range o.Groups() {
		c.AddGroup(g)
		o.each(g, func(f string, n int64) { c.Add(g, f, n) })
	}
}

// each calls fn for every feature of group, in no particular order.
func (c *Counts) each(group string, fn func(f string, n int64)) {
	if c.groups != nil {
		for f, n := range c.groups[group] {
			fn(f, n)
		}
		return
	}
	row := c.ix.rows[group]
	for k, i := range row.ids {
		fn(c.ix.feats[i], row.counts[k])
	}
}

// Groups lists the group names, sorted.
func (c *Counts) Groups() []string {
	out := make([]string, 0, len(c.totals))
	for g := range c.totals {
		out = append(out, g)
	}
	slices.Sort(out)
	return out
}

// Total is the number of feature occurrences in group.
func (c *Counts) Total(group string) int64 { return c.totals[group] }

// Count is the count of feature in group.
func (c *Counts) Count(group, feature string) int64 {
	if c.groups != nil {
		return c.groups[group][feature]
	}
	i, ok := slices.BinarySearch(c.ix.feats, feature)
	if !ok {
		return 0
	}
	row := c.ix.rows[group]
	if k, ok := slices.BinarySearch(row.ids, int32(i)); ok {
		return row.counts[k]
	}
	return 0
}

// Features lists the distinct features of group, sorted.
func (c *Counts) Features(group string) []string {
	out := make([]string, 0, len(c.groups[group]))
	c.each(group, func(f string, _ int64) { out = append(out, f) })
	slices.Sort(out)
	return out
}

// pooled sums the counts of the named groups (all groups when none) into
// a map: the form a comparison with a reference corpus, whose features are
// not in this index, needs.
func (c *Counts) pooled(groups []string) (map[string]int64, int64) {
	if len(groups) == 0 {
		groups = c.Groups()
	}
	out := map[string]int64{}
	var total int64
	for _, g := range groups {
		c.each(g, func(f string, n int64) { out[f] += n })
		total += c.totals[g]
	}
	return out, total
}

// dense adds the counts of groups into dst (by feature id of ix) and
// returns their total.
func (ix *index) dense(c *Counts, groups []string, dst []int64) int64 {
	var total int64
	for _, g := range groups {
		row := ix.rows[g]
		for k, i := range row.ids {
			dst[i] += row.counts[k]
		}
		total += c.totals[g]
	}
	return total
}

// Pruned returns a copy without the features whose count over all groups
// is below min (groups are kept, even when left empty). The copy is frozen.
func (c *Counts) Pruned(min int64) *Counts {
	ix := c.frozen()
	keep := make([]int32, len(ix.feats)) // new id + 1, or 0 when dropped
	out := &index{rows: make(map[string]groupRow, len(ix.rows))}
	for i, n := range ix.all {
		if n >= min {
			out.feats = append(out.feats, ix.feats[i])
			out.all = append(out.all, n)
			keep[i] = int32(len(out.feats))
		}
	}
	totals := make(map[string]int64, len(ix.rows))
	for g, row := range ix.rows {
		var nr groupRow
		for k, i := range row.ids {
			if j := keep[i]; j > 0 {
				nr.ids = append(nr.ids, j-1)
				nr.counts = append(nr.counts, row.counts[k])
				totals[g] += row.counts[k]
			}
		}
		totals[g] += 0
		out.rows[g] = nr
		out.allN += totals[g]
	}
	return &Counts{totals: totals, ix: out}
}

// GrandTotal is the number of feature occurrences in all groups.
func (c *Counts) GrandTotal() int64 {
	c.mu.Lock()
	ix := c.ix
	c.mu.Unlock()
	if ix != nil {
		return ix.allN // the same sum, kept by the index
	}
	var n int64
	for _, t := range c.totals {
		n += t
	}
	return n
}

// HasGroup says whether group has counts (possibly none: AddGroup).
func (c *Counts) HasGroup(group string) bool {
	_, ok := c.totals[group]
	return ok
}

// NumGroups is the number of groups.
func (c *Counts) NumGroups() int { return len(c.totals) }

// NumFeatures is the number of distinct features of all groups.
func (c *Counts) NumFeatures() int { return len(c.frozen().feats) }
