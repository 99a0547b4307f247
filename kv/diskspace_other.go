//go:build !unix

package kv

import "errors"

// freeBytes is not implemented here: the guard never refuses a write.
func freeBytes(dir string) (int64, error) {
	return 0, errors.New("kv: free disk space is not measured on this platform")
}
