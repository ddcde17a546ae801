package slackfake

import (
	"net/http"
	"strconv"
	"time"
)

// Window is a stretch of time Slack asked the app not to call a method: from
// a 429's answer until its Retry-After has passed.
type Window struct {
	From, Until time.Time
}

// Traffic is what the fake saw of one method.
type Traffic struct {
	// Calls is every call received, answered or refused.
	Calls int
	// Limited is how many calls were answered 429.
	Limited int
	// Times is when each call arrived, oldest first.
	Times []time.Time
	// Windows are the Retry-After windows the fake announced, forced
	// (FailNext with RateLimited) or from the limits, oldest first.
	Windows []Window
}

// InsideWindows counts the calls that arrived inside a Retry-After window
// more than grace after it began: grace allows for calls already on the
// wire when the 429 was answered.
func (t Traffic) InsideWindows(grace time.Duration) int {
	n := 0
	for _, at := range t.Times {
		for _, w := range t.Windows {
			if at.After(w.From.Add(grace)) && at.Before(w.Until) {
				n++
				break
			}
		}
	}
	return n
}

// limits is the enforcement state of one method.
type limits struct {
	traffic    Traffic
	perSecond  int         // 0: no workspace-wide limit
	accepted   []time.Time // calls let through in the last second
	channelGap time.Duration
	channels   map[string]time.Time // last call let through, per channel
}

// LimitRate makes the fake answer 429, with Retry-After, any call of method
// that would be more than perSecond calls in one second across the
// workspace, and every call inside a Retry-After window it announced.
func (s *Server) LimitRate(method string, perSecond int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limitsOf(method).perSecond = perSecond
}

// LimitChannel makes the fake answer 429 a call of method to a channel less
// than gap after the last one to that channel (Slack: chat.postMessage, 1 s).
func (s *Server) LimitChannel(method string, gap time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limitsOf(method).channelGap = gap
}

// Traffic returns what the fake saw of method so far.
func (s *Server) Traffic(method string) Traffic {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.limitsOf(method).traffic
	t.Times = append([]time.Time(nil), t.Times...)
	t.Windows = append([]Window(nil), t.Windows...)
	return t
}

func (s *Server) limitsOf(method string) *limits {
	if s.limits == nil {
		s.limits = map[string]*limits{}
	}
	l := s.limits[method]
	if l == nil {
		l = &limits{channels: map[string]time.Time{}}
		s.limits[method] = l
	}
	return l
}

// admit decides how the fake answers a call: a queued Failure first, then
// the limits. Callers hold s.mu.
func (s *Server) admit(call Call) (Failure, bool) {
	at := call.At
	l := s.limitsOf(call.Method)
	l.traffic.Calls++
	l.traffic.Times = append(l.traffic.Times, at)
	failure, failed := s.takeFailure(call.Method)
	if failed {
		l.noteForced(failure, at)
	} else {
		failure, failed = l.enforce(call, at)
	}
	if failed && failure.Status == http.StatusTooManyRequests {
		l.traffic.Limited++
	}
	return failure, failed
}

// enforce refuses a call over the limits, announcing a Retry-After window
// when the workspace-wide rate is exceeded.
func (l *limits) enforce(call Call, at time.Time) (Failure, bool) {
	if n := len(l.traffic.Windows); n > 0 && (l.perSecond > 0 || l.channelGap > 0) {
		if last := l.traffic.Windows[n-1]; at.Before(last.Until) {
			return retryAfter(last.Until.Sub(at)), true
		}
	}
	for len(l.accepted) > 0 && !l.accepted[0].After(at.Add(-time.Second)) {
		l.accepted = l.accepted[1:]
	}
	if l.perSecond > 0 && len(l.accepted) >= l.perSecond {
		wait := l.accepted[0].Add(time.Second).Sub(at)
		failure := retryAfter(wait)
		secs, _ := strconv.Atoi(failure.RetryAfter)
		l.traffic.Windows = append(l.traffic.Windows, Window{From: at, Until: at.Add(time.Duration(secs) * time.Second)})
		return failure, true
	}
	channel := dmChannel(call.Get("channel"))
	if last, seen := l.channels[channel]; l.channelGap > 0 && seen && at.Sub(last) < l.channelGap {
		return retryAfter(l.channelGap - at.Sub(last)), true
	}
	l.accepted = append(l.accepted, at)
	if l.channelGap > 0 {
		l.channels[channel] = at
	}
	return Failure{}, false
}

// noteForced records the Retry-After window of a forced 429.
func (l *limits) noteForced(f Failure, at time.Time) {
	secs, err := strconv.Atoi(f.RetryAfter)
	if f.Status != http.StatusTooManyRequests || err != nil {
		return
	}
	l.traffic.Windows = append(l.traffic.Windows, Window{From: at, Until: at.Add(time.Duration(secs) * time.Second)})
}

// retryAfter is a 429 asking to wait at least d, in whole seconds as Slack
// sends them.
func retryAfter(d time.Duration) Failure {
	secs := max(1, int((d+time.Second-1)/time.Second))
	return Failure{Status: http.StatusTooManyRequests, RetryAfter: strconv.Itoa(secs)}
}
