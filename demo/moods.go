package demo

import (
	"slices"
)

// teamMood is how a team feels over the demo year: it moves from the first
// value of each pair to the second between change[0] and change[1]
// (fractions of the year); a steady team has the same value at both ends.
type teamMood struct {
	enps   [2]float64    // expected eNPS, -100..100
	rate   [2]float64    // participation rate
	items  [2][3]float64 // workload, recognition, manager support, in standard deviations
	wishes [2][]float64  // weights of pulseWishes
	change [2]float64
	topics []string // comment topics besides the general ones
}

func steady(enps, rate float64, items [3]float64, wishes []float64, topics ...string) *teamMood {
	return &teamMood{enps: [2]float64{enps, enps}, rate: [2]float64{rate, rate}, items: [2][3]float64{items, items},
		wishes: [2][]float64{wishes, wishes}, change: [2]float64{0, 1}, topics: topics}
}

// teamMoods gives each demo team its story: Sales Americas slides after a
// new commission plan in spring, Platform climbs as on-call and CI get
// fixed, the rest hold steady around their own level.
var teamMoods = map[string]*teamMood{
	"":                 steady(15, 0.7, [3]float64{}, []float64{2, 2, 2, 2, 1}),
	"Leadership":       steady(45, 0.9, [3]float64{-0.2, 0.3, 0.3}, []float64{4, 4, 1, 1, 1}),
	"People":           steady(35, 0.85, [3]float64{-0.1, 0.2, 0.4}, []float64{2, 3, 3, 2, 1}),
	"Engineering":      steady(20, 0.78, [3]float64{0, 0, 0.1}, []float64{3, 3, 3, 1, 0.5}, "engineering"),
	"Sales":            steady(30, 0.8, [3]float64{-0.2, 0.1, 0.2}, []float64{2, 2, 2, 1, 3}, "sales"),
	"Sales APAC":       steady(25, 0.62, [3]float64{-0.1, 0, 0.1}, []float64{2, 2, 2, 2, 3}, "sales"),
	"Customer Success": steady(10, 0.68, [3]float64{-0.4, -0.1, 0.1}, []float64{3, 2, 3, 3, 1}, "success"),
	"Marketing":        steady(15, 0.82, [3]float64{}, []float64{4, 2, 2, 2, 1}),
	"Platform": {
		enps: [2]float64{-5, 45}, rate: [2]float64{0.75, 0.9},
		items:  [2][3]float64{{-0.8, -0.3, -0.2}, {0.3, 0.2, 0.3}},
		wishes: [2][]float64{{2, 1, 6, 1, 0.5}, {3, 2.5, 1, 1, 0.5}},
		change: [2]float64{0.1, 0.9}, topics: []string{"engineering", "platform"},
	},
	"Sales Americas": {
		enps: [2]float64{40, -10}, rate: [2]float64{0.88, 0.74},
		items:  [2][3]float64{{0, 0.2, 0.3}, {-1, -0.7, -0.6}},
		wishes: [2][]float64{{2, 2, 2, 2, 2}, {2, 1, 1, 3, 6}},
		change: [2]float64{0.2, 0.95}, topics: []string{"sales", "comp_plan"},
	},
}

func moodFor(team string) *teamMood {
	if m, ok := teamMoods[team]; ok {
		return m
	}
	return teamMoods[""]
}

// week is the team's mood at t (0..1 through the year), shifted by noise.
func (m *teamMood) week(t, noise float64) teamWeek {
	f := smoothstep(m.change[0], m.change[1], t)
	w := teamWeek{enps: lerp(m.enps[0], m.enps[1], f)/100 + noise, rate: lerp(m.rate[0], m.rate[1], f),
		wishes: make([]float64, len(pulseWishes))}
	for k := range w.items {
		w.items[k] = lerp(m.items[0][k], m.items[1][k], f)
	}
	for k := range w.wishes {
		w.wishes[k] = lerp(m.wishes[0][k], m.wishes[1][k], f)
	}
	return w
}

func smoothstep(from, to, t float64) float64 {
	x := clamp((t-from)/(to-from), 0, 1)
	return x * x * (3 - 2*x)
}

func (m *teamMood) has(topic string) bool { return topic == "" || slices.Contains(m.topics, topic) }

// comment picks what a person writes, if anything: detractors comment most,
// promoters say something kind, passives lean critical. A text is used at
// most once per round.
func (g *pulseGen) comment(p pulsePerson, score int, t float64, used map[string]bool) string {
	chance := 0.12 * p.chatty
	switch {
	case score <= 6:
		chance += 0.12
	case score >= 9:
		chance += 0.04
	}
	if g.rng.Float64() >= chance {
		return ""
	}
	positive := score >= 9 || (score >= 7 && g.rng.Float64() < 0.4)
	lang := "en"
	if p.malay && g.rng.Float64() < 0.75 {
		lang = "ms"
	}
	candidates := commentCandidates(lang, positive, p.mood, t)
	if len(candidates) == 0 {
		return ""
	}
	start := g.rng.IntN(len(candidates))
	for k := range candidates {
		if text := candidates[(start+k)%len(candidates)]; !used[text] {
			used[text] = true
			return withDetail(text, lang, positive, p.order, t)
		}
	}
	return ""
}

// details are what people add to a remark, so the same complaint does not
// read the same word for word all year.
var details = map[string][2][]string{ // language: negative, positive
	"en": {
		{"This week especially.", "It has been like this for a while.", "Not the first time I've raised it.",
			"I know others on the team feel the same.", "Could we talk about it at the next team meeting?", "It's getting worse, not better."},
		{"Thank you!", "More of this, please.", "It really helped this week.", "Worth keeping.", "Made my week."},
	},
	"ms": {
		{"Terutamanya minggu ini.", "Sudah lama begini.", "Bukan kali pertama saya menyebutnya.",
			"Saya tahu rakan sepasukan pun rasa begitu.", "Boleh kita bincang dalam mesyuarat pasukan nanti?"},
		{"Terima kasih!", "Teruskan begini.", "Sangat membantu minggu ini.", "Wajar dikekalkan."},
	},
}

// withDetail adds one of details to text, or nothing, picked from who writes
// and when rather than drawn from the rng, so every other draw of the demo
// stays as it was.
func withDetail(text, lang string, positive bool, order int, t float64) string {
	kind := 0
	if positive {
		kind = 1
	}
	pool := details[lang][kind]
	k := (order*7 + int(t*52)*3) % (len(pool) + 2)
	if k >= len(pool) {
		return text
	}
	return text + " " + pool[k]
}

// commentCandidates lists the texts that fit, a team's own topics repeated
// so that they come up more often than general remarks.
func commentCandidates(lang string, positive bool, mood *teamMood, t float64) []string {
	var out []string
	for _, pool := range commentPools {
		if pool.lang != lang || pool.positive != positive || !mood.has(pool.topic) || t < pool.from || t > pool.until {
			continue
		}
		for range pool.weight() {
			out = append(out, pool.texts...)
		}
	}
	return out
}

// commentPool is a set of comments someone might write: in a language, for
// a sentiment, on a team's topic ("" for anyone), within part of the year.
type commentPool struct {
	lang        string
	positive    bool
	topic       string
	from, until float64
	texts       []string
}

func (p commentPool) weight() int {
	if p.topic == "" {
		return 1
	}
	return 3
}

var commentPools = []commentPool{
	{lang: "en", positive: true, until: 1, texts: []string{
		"Really enjoyed the all-hands this week, good to hear where we're heading.",
		"My manager has been great about protecting time for focused work.",
		"Good week. The team pulled together on a tight deadline.",
		"Appreciate the flexible hours, it makes a real difference with kids at home.",
		"Onboarding our new joiner went smoothly, nice to see the team growing.",
		"Thanks for the shout-out in the team channel, it was nice to be noticed.",
		"Finally feel like I have clear priorities for the quarter.",
		"Looking forward to the offsite, it's been a while since we met in person.",
		"The learning budget is great. Just finished a course I'd wanted to do for ages.",
		"1:1s with my manager have become genuinely useful.",
		"Nice to ship something customers actually asked for.",
		"People here are kind and helpful. That matters a lot to me.",
	}},
	{lang: "en", until: 1, texts: []string{
		"Too many meetings this week, hardly any time for actual work.",
		"Priorities changed three times this week; hard to plan anything.",
		"I don't really understand how promotion decisions are made.",
		"Communication from leadership has been thin lately.",
		"My workload has been too high for weeks and it's starting to show.",
		"Handoffs between teams are slow, everything waits on someone else.",
		"Would be good to hear what actually happens with these survey results.",
		"Salary bands feel out of line with the market.",
		"Still covering for an open role that hasn't been filled.",
		"Too much context switching between projects.",
		"Working across time zones means a lot of late calls for some of us.",
	}},
	{lang: "en", positive: true, topic: "sales", until: 1, texts: []string{
		"Closed a big deal this week with great support from solutions engineering.",
		"Great energy on the team, everyone is helping each other out.",
		"The new call coaching sessions are really useful.",
	}},
	{lang: "en", topic: "sales", until: 1, texts: []string{
		"The CRM is slow and logging every call eats into selling time.",
		"Pricing approvals take days and we lose deals waiting.",
		"Inbound lead quality has dropped noticeably.",
	}},
	{lang: "en", topic: "comp_plan", from: 0.25, until: 1, texts: []string{
		"The new commission plan makes the accelerators almost impossible to reach.",
		"Quota went up 30% and the territory got smaller. That doesn't add up.",
		"Three people have left the team since spring and nobody talks about it.",
		"We hear about plan changes from a spreadsheet, not from our manager.",
		"Pipeline reviews feel like an interrogation now.",
		"Honestly wondering whether this is still the right place for me.",
		"Territory reassignments mid-quarter cost me two deals I'd worked on for months.",
		"Nobody above us seems to know how hard this quarter has been.",
	}},
	{lang: "en", positive: true, topic: "engineering", until: 1, texts: []string{
		"Great pairing session with our new joiner this week.",
		"Design reviews are working well, good discussions.",
		"Nice to finally get time for the refactoring we kept asking for.",
	}},
	{lang: "en", topic: "engineering", until: 1, texts: []string{
		"Flaky tests are slowing everyone down.",
		"So much tech debt, and we never get time to pay it down.",
		"Too many interruptions from support escalations this sprint.",
	}},
	{lang: "en", topic: "platform", until: 0.4, texts: []string{
		"On-call is burning people out. We're too few for this rotation.",
		"Paged three nights in a row again.",
		"CI takes forty minutes; a one-line fix eats half a day.",
		"Build infrastructure is held together with tape.",
	}},
	{lang: "en", positive: true, topic: "platform", from: 0.45, until: 1, texts: []string{
		"The new CI pipeline is so much faster, it changed how I work.",
		"On-call is finally sane since the rotation changed.",
		"Two new people on the team have made a huge difference.",
		"Really proud of the database migration we just finished.",
		"Feels like leadership finally listens to platform concerns.",
	}},
	{lang: "en", positive: true, topic: "success", until: 1, texts: []string{
		"A customer sent a lovely note about our team this week.",
		"The new help-centre articles cut our ticket volume noticeably.",
	}},
	{lang: "en", topic: "success", until: 1, texts: []string{
		"Ticket volume after the last release has been brutal.",
		"Customers hear about changes before we do.",
		"Renewals are hard when the roadmap keeps shifting.",
	}},
	{lang: "ms", positive: true, until: 1, texts: []string{
		"Minggu yang baik. Pasukan saya sangat membantu.",
		"Terima kasih kepada pengurus saya atas sokongan yang berterusan.",
		"Suasana kerja di pejabat KL sangat positif.",
		"Seronok dapat bekerjasama dengan rakan sekerja dari negara lain.",
		"Saya hargai waktu kerja yang fleksibel.",
		"Latihan produk minggu ini sangat berguna.",
	}},
	{lang: "ms", until: 1, texts: []string{
		"Beban kerja agak berat kebelakangan ini, terutamanya menjelang hujung suku tahun.",
		"Terlalu banyak mesyuarat, susah nak fokus pada kerja sebenar.",
		"Mesyuarat dengan ibu pejabat selalu lewat malam waktu Malaysia.",
		"Saya harap ada lebih banyak peluang latihan dan kenaikan pangkat.",
		"Maklumat tentang perubahan syarikat lambat sampai kepada kami.",
	}},
	{lang: "ms", topic: "sales", until: 1, texts: []string{
		"Sasaran jualan suku ini terasa kurang realistik.",
		"Proses kelulusan harga mengambil masa terlalu lama.",
	}},
}
