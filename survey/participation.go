package survey

import (
	"context"

	"gorm.io/gorm"
)

// RoundStatus is a round with its participation. While the round is open
// (or closed but not yet sealed) Answered is null, and Participation is
// given only once at least k were asked and k answered; after close both
// come from the sealed counts and never change.
type RoundStatus struct {
	Round
	Status        string   `json:"status"` // scheduled, open or closed
	Recipients    int      `json:"recipients"`
	Answered      *int     `json:"answered"`
	Participation *float64 `json:"participation"`
}

// RoundStatus returns a round with how many were asked and answered.
func (s *Service) RoundStatus(ctx context.Context, id int64) (RoundStatus, error) {
	r, err := s.Round(ctx, id)
	if err != nil {
		return RoundStatus{}, err
	}
	statuses, err := s.withParticipation(ctx, []Round{r})
	if err != nil {
		return RoundStatus{}, err
	}
	return statuses[0], nil
}

// withParticipation adds each round's status and participation: a sealed
// round's from its per-team counts, which never change; an open round's
// counted in one query per table for all of them.
func (s *Service) withParticipation(ctx context.Context, rounds []Round) ([]RoundStatus, error) {
	open := []int64{0} // never empty: IN () is not SQL
	sealedIDs := []int64{0}
	for _, r := range rounds {
		if r.Sealed {
			sealedIDs = append(sealedIDs, r.ID)
		} else {
			open = append(open, r.ID)
		}
	}
	db := s.db.WithContext(ctx)
	asked, err := countByRound(db.Model(&Recipient{}).Where("round_id IN ?", open), "COUNT(*)")
	if err != nil {
		return nil, err
	}
	sealedAsked, err := countByRound(db.Model(&teamCount{}).Where("round_id IN ?", sealedIDs), "SUM(recipients)")
	if err != nil {
		return nil, err
	}
	// Each respondent has exactly one response, so responses count who has
	// answered an open round; a sealed round's counts are final.
	answeredOpen, err := countByRound(db.Model(&Response{}).Where("round_id IN ?", open), "COUNT(*)")
	if err != nil {
		return nil, err
	}
	sealed, err := countByRound(db.Model(&teamCount{}).Where("round_id IN ?", sealedIDs), "SUM(respondents)")
	if err != nil {
		return nil, err
	}
	k, err := s.Thresholds(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]RoundStatus, len(rounds))
	for i, r := range rounds {
		st := RoundStatus{Round: r, Status: r.StatusAt(s.now()), Recipients: asked[r.ID]}
		answered := answeredOpen[r.ID]
		if r.Sealed {
			st.Recipients, answered = sealedAsked[r.ID], sealed[r.ID]
			st.Answered = &answered
		}
		if st.Recipients > 0 && (r.Sealed || answered >= k.MinRespondents && st.Recipients >= k.MinRespondents) {
			rate := float64(answered) / float64(st.Recipients)
			st.Participation = &rate
		}
		out[i] = st
	}
	return out, nil
}

// countByRound runs one grouped count and returns it by round; each call
// scans into a slice of its own.
func countByRound(q *gorm.DB, aggregate string) (map[int64]int, error) {
	var rows []struct {
		RoundID int64
		N       int
	}
	err := q.Group("round_id").Select("round_id, " + aggregate + " AS n").Scan(&rows).Error
	out := make(map[int64]int, len(rows))
	for _, row := range rows {
		out[row.RoundID] = row.N
	}
	return out, err
}
