//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package segment

import "os"

// mapFile reads the file at path (see the Unix version, which maps it).
func mapFile(path string) (data []byte, release func(), err error) {
	data, err = os.ReadFile(path)
	return data, func() {}, err
}
