//go:build !unix

package live

// openFlags adds nothing where there is no O_NOFOLLOW: the check that the file
// opened is the one written still refuses any other.
const openFlags = 0
