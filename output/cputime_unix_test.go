//go:build unix

package output

import "syscall"

// cpuSeconds is the CPU time (user + system) the process has used: on a
// machine shared with other work, the measure of a benchmark that wall
// time is not.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
