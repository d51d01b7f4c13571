package compare

import (
	"slices"
	"sync"
)

// Counts holds feature counts per group. The zero value is empty and ready
// to use. Shards counted apart combine with Merge; counts are plain sums, so
// the result does not depend on the order of Adds and Merges.
type Counts struct {
	groups map[string]map[string]int64
	totals map[string]int64

	// all caches the counts of every group pooled, for "A vs rest" (rest =
	// all − A): built on first use, dropped by any change.
	mu     sync.Mutex
	all    map[string]int64
	allN   int64
	sorted []string // the keys of all, sorted
}

// sortedFeatures returns every feature of every group, sorted (cached).
func (c *Counts) sortedFeatures() []string {
	all, _ := c.pooledAll()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sorted == nil {
		c.sorted = make([]string, 0, len(all))
		for f := range all {
			c.sorted = append(c.sorted, f)
		}
		slices.Sort(c.sorted)
	}
	return c.sorted
}

// pooledAll returns the counts of every group together (cached; safe for
// concurrent use once no more counts are added).
func (c *Counts) pooledAll() (map[string]int64, int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.all == nil {
		c.all, c.allN = map[string]int64{}, 0
		for g, m := range c.groups {
			for f, n := range m {
				c.all[f] += n
			}
			c.allN += c.totals[g]
		}
	}
	return c.all, c.allN
}

// Add adds n occurrences of feature to group.
func (c *Counts) Add(group, feature string, n int64) {
	if c.groups == nil {
		c.groups = map[string]map[string]int64{}
		c.totals = map[string]int64{}
	}
	m := c.groups[group]
	if m == nil {
		m = map[string]int64{}
		c.groups[group] = m
	}
	m[feature] += n
	c.totals[group] += n
	c.all, c.sorted = nil, nil
}

// Merge adds all counts of o to c.
// AddGroup records a group that may have no features (a group that never
// names an entity is still a side of a comparison).
func (c *Counts) AddGroup(group string) {
	if c.groups == nil {
		c.groups = map[string]map[string]int64{}
		c.totals = map[string]int64{}
	}
	if c.groups[group] == nil {
		c.groups[group] = map[string]int64{}
	}
	c.all, c.sorted = nil, nil
}

func (c *Counts) Merge(o *Counts) {
	for g, m := range o.groups {
		for f, n := range m {
			c.Add(g, f, n)
		}
	}
}

// Groups lists the group names, sorted.
func (c *Counts) Groups() []string {
	out := make([]string, 0, len(c.groups))
	for g := range c.groups {
		out = append(out, g)
	}
	slices.Sort(out)
	return out
}

// Total is the number of feature occurrences in group.
func (c *Counts) Total(group string) int64 { return c.totals[group] }

// Count is the count of feature in group.
func (c *Counts) Count(group, feature string) int64 { return c.groups[group][feature] }

// Features lists the distinct features of group, sorted.
func (c *Counts) Features(group string) []string {
	out := make([]string, 0, len(c.groups[group]))
	for f := range c.groups[group] {
		out = append(out, f)
	}
	slices.Sort(out)
	return out
}

// pooled sums the counts of the named groups (all groups when none).
func (c *Counts) pooled(groups []string) (map[string]int64, int64) {
	if len(groups) == 0 {
		groups = c.Groups()
	}
	if len(groups) == 1 {
		return c.groups[groups[0]], c.totals[groups[0]]
	}
	out := map[string]int64{}
	var total int64
	for _, g := range groups {
		for f, n := range c.groups[g] {
			out[f] += n
		}
		total += c.totals[g]
	}
	return out, total
}

// Pruned returns a copy without the features whose count over all groups
// is below min (groups are kept, even when left empty).
func (c *Counts) Pruned(min int64) *Counts {
	all, _ := c.pooledAll()
	out := &Counts{}
	for g, m := range c.groups {
		out.AddGroup(g)
		for f, n := range m {
			if all[f] >= min {
				out.Add(g, f, n)
			}
		}
	}
	return out
}
