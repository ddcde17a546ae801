package action

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// HashWith is the hash a reaction of employeeID to planID is stored under
// while the plan's key is planKey: what an attacker holding the key and
// the secret would compute.
func HashWith(s *Service, planKey []byte, planID, employeeID int64) string {
	mac := hmac.New(sha256.New, s.hashKey(planKey))
	fmt.Fprintf(mac, "pulse-reaction:%d:%d", planID, employeeID)
	return hex.EncodeToString(mac.Sum(nil))
}
