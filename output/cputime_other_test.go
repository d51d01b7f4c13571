//go:build !unix

package output

func cpuSeconds() float64 { return 0 }
