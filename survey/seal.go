package survey

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/pulsehq/pulse/directory"
)

// teamCount is one team's cell of a closed round: how many were asked and
// how many answered, after small teams were folded into their ancestors.
type teamCount struct {
	RoundID     int64 `gorm:"primaryKey;autoIncrement:false"`
	TeamID      int64 `gorm:"primaryKey;autoIncrement:false"`
	Recipients  int
	Respondents int
	// The eNPS answers' buckets, folded like the rest: results read these
	// rows alone, one per round and team, however many answered.
	Promoters, Passives, Detractors int
}

func (c teamCount) enps() ENPSCounts {
	return ENPSCounts{Promoters: c.Promoters, Passives: c.Passives, Detractors: c.Detractors}
}

func (teamCount) TableName() string { return "round_team_counts" }

// sealRound turns a closed round into what may be kept for good, in the close
// transaction: the key is deleted and the hashes erased, so no response
// leads back to a person; then every team with 1..k-1 respondents is
// folded into its nearest ancestor (up to the organisation, team 0) in
// responses, answer_counts and round_team_counts, so no stored cell names
// the few people in it. The round's figures never change afterwards.
func (s *Service) sealRound(ctx context.Context, tx *gorm.DB, r *Round) error {
	if err := tx.Where("round_id = ?", r.ID).Delete(&roundKey{}).Error; err != nil {
		return err
	}
	if err := tx.Model(&Response{}).Where("round_id = ? AND respondent_hash IS NOT NULL", r.ID).
		Update("respondent_hash", nil).Error; err != nil {
		return err
	}
	k, err := s.WithTx(tx).Thresholds(ctx)
	if err != nil {
		return err
	}
	parents, err := roundParents(ctx, tx, r.ID)
	if err != nil {
		return err
	}
	cells, err := roundCells(tx, r.ID)
	if err != nil {
		return err
	}
	into := foldSmallTeams(parents, cells, k.MinRespondents)
	if err := foldResponses(tx, r.ID, into); err != nil {
		return err
	}
	folded, err := foldAnswerCounts(tx, r.ID, into)
	if err != nil {
		return err
	}
	enps, err := enpsByTeam(tx, r.SurveyID, folded)
	if err != nil {
		return err
	}
	if err := writeTeamCounts(tx, r.ID, cells, into, enps); err != nil {
		return err
	}
	r.Sealed = true
	return tx.Model(&Round{}).Where("id = ?", r.ID).Update("sealed", true).Error
}

// roundParents maps each team of the round's tree to its parent (0 for a
// top-level team), from the tree kept when the round was sent, or today's
// for rounds sent before trees were kept.
func roundParents(ctx context.Context, tx *gorm.DB, roundID int64) (map[int64]int64, error) {
	var rows []roundTeam
	if err := tx.Where("round_id = ?", roundID).Find(&rows).Error; err != nil {
		return nil, err
	}
	tree := make([]directory.Team, len(rows))
	for i, row := range rows {
		tree[i] = directory.Team{ID: row.TeamID, ParentID: row.ParentID}
	}
	if len(rows) == 0 {
		var err error
		if tree, err = directory.New(tx, time.Now).Teams(ctx); err != nil {
			return nil, err
		}
	}
	parents := make(map[int64]int64, len(tree))
	for _, t := range tree {
		parents[t.ID] = teamKey(t.ParentID)
	}
	return parents, nil
}

// roundCells counts recipients and respondents (one response each) per team.
func roundCells(tx *gorm.DB, roundID int64) (map[int64]*teamCount, error) {
	cells := map[int64]*teamCount{}
	cell := func(team *int64) *teamCount {
		id := teamKey(team)
		if cells[id] == nil {
			cells[id] = &teamCount{RoundID: roundID, TeamID: id}
		}
		return cells[id]
	}
	var rows []struct {
		TeamID *int64
		N      int
	}
	if err := tx.Model(&Recipient{}).Where("round_id = ?", roundID).Group("team_id").
		Select("team_id, COUNT(*) AS n").Scan(&rows).Error; err != nil {
		return nil, err
	}
	for _, row := range rows {
		cell(row.TeamID).Recipients += row.N
	}
	rows = rows[:0]
	if err := tx.Model(&Response{}).Where("round_id = ?", roundID).Group("team_id").
		Select("team_id, COUNT(*) AS n").Scan(&rows).Error; err != nil {
		return nil, err
	}
	for _, row := range rows {
		cell(row.TeamID).Respondents += row.N
	}
	return cells, nil
}

// foldSmallTeams decides where each team's cell goes: children before
// parents, a team holding 1..k-1 respondents or 1..k-1 recipients (its own
// plus those folded into it) moves whole into its parent: a cell of two
// people asked and none answering says of each that they did not answer.
// The result maps every team that moved to the team it finally lands in;
// team 0, the organisation, stays whatever its size.
func foldSmallTeams(parents map[int64]int64, cells map[int64]*teamCount, k int) map[int64]int64 {
	f := folding{parents: parents, children: map[int64][]int64{}, moved: map[int64]int64{}, visited: map[int64]bool{},
		respondents: map[int64]int{}, recipients: map[int64]int{}, k: k}
	for team, c := range cells {
		f.respondents[team], f.recipients[team] = c.Respondents, c.Recipients
	}
	teams := map[int64]bool{}
	for team := range parents {
		teams[team] = true
	}
	for team := range cells {
		teams[team] = true
	}
	for team := range teams {
		if team != 0 {
			f.children[f.parentOf(team)] = append(f.children[f.parentOf(team)], team)
		}
	}
	f.visit(0)
	for team := range teams { // teams on a parent cycle are out of the tree: they go to the organisation
		if !f.visited[team] && team != 0 {
			f.move(team, 0)
		}
	}
	return f.landings()
}

// folding is the state of one foldSmallTeams walk.
type folding struct {
	parents                 map[int64]int64
	children                map[int64][]int64
	respondents, recipients map[int64]int
	moved                   map[int64]int64 // team -> the parent it moved into
	visited                 map[int64]bool
	k                       int
}

func (f *folding) parentOf(team int64) int64 {
	if p, ok := f.parents[team]; ok && p != team {
		return p
	}
	return 0 // a team missing from the tree hangs off the organisation
}

func (f *folding) small(n int) bool { return n > 0 && n < f.k }

func (f *folding) visit(team int64) {
	if f.visited[team] {
		return
	}
	f.visited[team] = true
	kids := f.children[team]
	slices.Sort(kids)
	for _, child := range kids {
		f.visit(child)
	}
	if team != 0 && (f.small(f.respondents[team]) || f.small(f.recipients[team])) {
		f.move(team, f.parentOf(team))
	}
}

func (f *folding) move(team, into int64) {
	f.moved[team] = into
	f.respondents[into] += f.respondents[team]
	f.recipients[into] += f.recipients[team]
	f.respondents[team], f.recipients[team] = 0, 0
}

// landings follows each moved team up to where it finally lands.
func (f *folding) landings() map[int64]int64 {
	into := make(map[int64]int64, len(f.moved))
	for team := range f.moved {
		target := team
		for hops := 0; hops <= len(f.moved); hops++ {
			next, ok := f.moved[target]
			if !ok {
				break
			}
			target = next
		}
		into[team] = target
	}
	return into
}

// bySource groups moved teams by where they land.
func bySource(into map[int64]int64) map[int64][]int64 {
	out := map[int64][]int64{}
	for from, to := range into {
		out[to] = append(out[to], from)
	}
	return out
}

func foldResponses(tx *gorm.DB, roundID int64, into map[int64]int64) error {
	for to, from := range bySource(into) {
		var target any = to
		if to == 0 {
			target = nil // the organisation: no team
		}
		err := tx.Model(&Response{}).Where("round_id = ? AND team_id IN ?", roundID, from).Update("team_id", target).Error
		if err != nil {
			return err
		}
	}
	return nil
}

// foldAnswerCounts rewrites the round's rollup with moved teams' cells
// added into where they land, and returns the cells it wrote.
func foldAnswerCounts(tx *gorm.DB, roundID int64, into map[int64]int64) ([]answerCount, error) {
	var rows []answerCount
	if err := tx.Where("round_id = ?", roundID).Find(&rows).Error; err != nil {
		return nil, err
	}
	type cellKey struct {
		team, question int64
		value          string
	}
	merged := map[cellKey]*answerCount{}
	var order []cellKey
	for _, c := range rows {
		if c.N == 0 {
			continue
		}
		if to, ok := into[c.TeamID]; ok {
			c.TeamID = to
		}
		key := cellKey{c.TeamID, c.QuestionID, c.Value}
		if merged[key] == nil {
			cp := c
			merged[key] = &cp
			order = append(order, key)
			continue
		}
		merged[key].N += c.N
	}
	if err := tx.Where("round_id = ?", roundID).Delete(&answerCount{}).Error; err != nil || len(order) == 0 {
		return nil, err
	}
	out := make([]answerCount, len(order))
	for i, key := range order {
		out[i] = *merged[key]
	}
	return out, tx.CreateInBatches(&out, 500).Error
}

// enpsByTeam buckets the folded cells of the survey's eNPS questions by team.
func enpsByTeam(tx *gorm.DB, surveyID int64, cells []answerCount) (map[int64]ENPSCounts, error) {
	var ids []int64
	if err := tx.Model(&Question{}).Where("survey_id = ? AND kind = ?", surveyID, KindENPS).Pluck("id", &ids).Error; err != nil {
		return nil, err
	}
	out := map[int64]ENPSCounts{}
	for _, c := range cells {
		if !slices.Contains(ids, c.QuestionID) {
			continue
		}
		v, err := strconv.Atoi(c.Value)
		if err != nil {
			return nil, fmt.Errorf("eNPS cell of round %d holds %q: %w", c.RoundID, c.Value, err)
		}
		counts := out[c.TeamID]
		counts.AddN(v, c.N)
		out[c.TeamID] = counts
	}
	return out, nil
}

func writeTeamCounts(tx *gorm.DB, roundID int64, cells map[int64]*teamCount, into map[int64]int64, enps map[int64]ENPSCounts) error {
	folded := map[int64]*teamCount{}
	for team, c := range cells {
		if to, ok := into[team]; ok {
			team = to
		}
		if folded[team] == nil {
			folded[team] = &teamCount{RoundID: roundID, TeamID: team}
		}
		folded[team].Recipients += c.Recipients
		folded[team].Respondents += c.Respondents
	}
	for team, e := range enps {
		if folded[team] == nil { // answers carry their response's team, so cells have it; never lose a count
			folded[team] = &teamCount{RoundID: roundID, TeamID: team}
		}
		folded[team].Promoters, folded[team].Passives, folded[team].Detractors = e.Promoters, e.Passives, e.Detractors
	}
	if err := tx.Where("round_id = ?", roundID).Delete(&teamCount{}).Error; err != nil || len(folded) == 0 {
		return err
	}
	out := make([]teamCount, 0, len(folded))
	for _, c := range folded {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b teamCount) int { return int(a.TeamID - b.TeamID) })
	return tx.Create(&out).Error
}
