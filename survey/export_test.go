package survey

// SetAfterRoundsLoaded makes results run f between reading their rounds and
// reading the rounds' counts; the returned function removes it.
func SetAfterRoundsLoaded(f func()) (restore func()) {
	afterRoundsLoaded = f
	return func() { afterRoundsLoaded = nil }
}
