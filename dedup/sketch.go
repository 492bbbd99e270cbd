package dedup

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// A sketch is the compact form of a fingerprint that the store keeps, so
// that the in-memory Index can be rebuilt at start without reading any
// text: a version byte, the shingle size and rows per band it was made
// with, then each band key (the low 32 bits of a band hash) as 4 bytes,
// little-endian: 259 bytes for the default 64 bands.
const sketchVersion = 1

// ErrSketchLayout is returned (wrapped) by DecodeSketch for a sketch made
// with other options than the detector's: its bands are not comparable.
var ErrSketchLayout = errors.New("dedup: sketch made with other shingle or band options")

// bandKeys appends the band keys of band hashes to dst[:0].
func bandKeys(dst []uint32, bands []uint64) []uint32 {
	dst = dst[:0]
	for _, b := range bands {
		dst = append(dst, uint32(b))
	}
	return dst
}

// appendSketch appends the sketch of band keys made with shingle size k
// and rows per band to dst.
func appendSketch(dst []byte, k, rows int, keys []uint32) []byte {
	dst = append(dst, sketchVersion, byte(k), byte(rows))
	for _, key := range keys {
		dst = binary.LittleEndian.AppendUint32(dst, key)
	}
	return dst
}

// decodeSketch appends to dst[:0] the band keys of sketch b, which must
// have been made with shingle size k and rows per band.
func decodeSketch(dst []uint32, b []byte, k, rows int) ([]uint32, error) {
	if len(b) < 3 || b[0] != sketchVersion || (len(b)-3)%4 != 0 {
		return nil, fmt.Errorf("dedup: sketch of %d bytes is not a version %d sketch", len(b), sketchVersion)
	}
	if int(b[1]) != k || int(b[2]) != rows || (len(b)-3)/4 != SignatureSize/rows {
		return nil, fmt.Errorf("%w (shingle %d, rows %d; want %d and %d)", ErrSketchLayout, b[1], b[2], k, rows)
	}
	dst = dst[:0]
	for i := 3; i < len(b); i += 4 {
		dst = append(dst, binary.LittleEndian.Uint32(b[i:]))
	}
	return dst, nil
}
