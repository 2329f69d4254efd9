package geo

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"

	"github.com/rounds-dev/rounds/roster"
)

// GivenProvider names travel taken from the instance's own matrices.
const GivenProvider = "instance-matrices"

// Given returns the travel matrices an instance carries (travel.matrices),
// or nil when it carries none. The instance must have passed Validate. The
// source's version is a hash of the matrices, so a plan records exactly
// which travel it was made with.
func Given(in *roster.Instance) *Matrices {
	if in.Travel == nil || len(in.Travel.Matrices) == 0 {
		return nil
	}
	h := sha256.New()
	ms := &Matrices{byMode: make(map[roster.Mode]*Matrix)}
	var buf [8]byte
	for _, mode := range roster.Modes {
		tm, ok := in.Travel.Matrices[mode]
		if !ok {
			continue
		}
		n := len(tm.DurationsS)
		m := NewMatrix(n)
		h.Write([]byte(mode))
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				m.DurS[i*n+j] = int32(tm.DurationsS[i][j])
				m.DistM[i*n+j] = int32(tm.DistancesM[i][j])
				binary.LittleEndian.PutUint32(buf[:4], uint32(m.DurS[i*n+j]))
				binary.LittleEndian.PutUint32(buf[4:], uint32(m.DistM[i*n+j]))
				h.Write(buf[:])
			}
		}
		ms.byMode[mode] = m
	}
	ms.source = roster.TravelSource{Provider: GivenProvider, Version: "sha256:" + hex.EncodeToString(h.Sum(nil))[:16]}
	return ms
}
