//go:build !linux

package segment

import "os"

// readFile reads the file at path (see the Linux version, which reads it into huge pages).
func readFile(path string) (data []byte, release func(), err error) {
	data, err = os.ReadFile(path)
	return data, func() {}, err
}
