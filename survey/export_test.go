package survey

// SetAfterRoundsLoaded makes results run f between reading their rounds and
// reading the rounds' counts; the returned function removes it.
func SetAfterRoundsLoaded(f func()) (restore func()) {
	afterRoundsLoaded = f
	return func() { afterRoundsLoaded = nil }
}

// FoldSmallTeams exposes the folding decision of closing: respondents and
// recipients per team in, where each moved team lands out.
func FoldSmallTeams(parents map[int64]int64, respondents, recipients map[int64]int, k int) map[int64]int64 {
	cells := map[int64]*teamCount{}
	for team, n := range respondents {
		cells[team] = &teamCount{TeamID: team, Respondents: n}
	}
	for team, n := range recipients {
		if cells[team] == nil {
			cells[team] = &teamCount{TeamID: team}
		}
		cells[team].Recipients = n
	}
	return foldSmallTeams(parents, cells, k)
}

// GroupCommitted says how many batches group commit has committed, and how
// many answers they held.
func GroupCommitted(s *Service) (batches, answers int64) {
	return s.commits.batches.Load(), s.commits.answers.Load()
}

// GroupCommitWaiting says how many answers wait for group commit.
func GroupCommitWaiting(s *Service) int64 { return s.commits.waiting.Load() }
