// Package smallfs gives disk-full tests a real small filesystem: a tmpfs
// of a chosen size mounted on a test's temporary directory (unmounted in
// its Cleanup), a fill file that leaves a chosen amount free, and the free
// space as the store measures it. Mounting needs root on Linux; without
// it a test is skipped, except under CI=true, where it fails: CI runs as
// root, so a skip there would hide a lost test.
//
// # Files
//
//	smallfs.go      Free and Fill (unix), the root requirement
//	mount_linux.go  Mount: the tmpfs and its unmounting in Cleanup
//	                (mount_other.go: skips, or fails under CI=true)
package smallfs
