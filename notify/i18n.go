package notify

import (
	"fmt"
	"strings"
	"time"
)

// Languages Pulse writes Slack messages in.
const (
	LocaleEnglish = "en"
	LocaleMalay   = "ms"
)

// catalog holds every sentence notify sends, for one language. It is a struct
// rather than a key/value map so that a language missing a sentence fails to
// compile (or the completeness test) instead of showing a blank to employees.
type catalog struct {
	defaultIntro       string
	enpsScaleHint      string // %d: lowest value on the scale
	answerAllButton    string
	anonymityNote      string
	openUntil          string // %s: closing time
	recorded           string // %d: the value; %s: closing time
	recordedFallback   string // %d: the value
	closed             string // %s: closing time
	reminder           string // %s: survey title, %s: closing time
	reminderLink       string
	lateTap            string
	help               string
	modalTitle         string
	modalSubmit        string
	modalCancel        string
	choosePlaceholder  string
	commentPlaceholder string
	yes                string
	no                 string
	agreement          [5]string // 1 = strongly disagree … 5 = strongly agree
	allowRepliesLabel  string
	allowReplies       string
	allowRepliesHint   string
	errRequired        string
	errInvalid         string
	errTooLong         string // %d: maximum length
	errBadText         string
	weekdays           [7]string // Sunday first, as time.Weekday
	months             [12]string
	notInDirectory     string
	notAsked           string
	notOpenYet         string // %s: when the round reaches the person
	deactivated        string
	failed             string
	noOpenSurveys      string
	openSurveys        string
	signIn             string // %s: link, %s: expiry time
	homeSurveys        string
	homeScores         string
	scoreLine          string // %s: team, %s: survey, %s: score, %s: margin (marginLine or everyoneAnswered), %d: answers
	marginLine         string // %s: margin, %s: interval low, %s: interval high
	everyoneAnswered   string
	scoreSuppressed    string // %s: team, %s: survey
	wholeOrganisation  string
	noScores           string
	replyToAuthor      string // %s: who replied
	replyPrivacy       string
	answerAnonymously  string
	authorAnswered     string
	replyModalTitle    string
	replyModalLabel    string
	replyNotAllowed    string
	replyClosed        string
	digestTitle        string
	digestTitleOwn     string // a digest with no teams in it: the reader's own items
	digestLine         string // %s: team, %s: survey, %s: score, %s: margin (as in scoreLine), %d: answers, %s: participation
	digestChange       string // %s: signed change in points
	digestSignificant  string
	digestSuppressed   string // %s: team, %s: survey
	digestComments     string // %d: how many
	oneOnOneSoon       string // %s: the other participant, %s: start time
	oneOnOneAgenda     string // %s: link to the series
	homeOneOnOne       string // %s: the other participant, %s: start time
}

var catalogs = map[string]*catalog{
	LocaleEnglish: &english,
	LocaleMalay:   &malay,
}

var english = catalog{
	defaultIntro:     "Hi! Here is a short pulse survey. One tap below answers the main question.",
	enpsScaleHint:    "%d = not at all likely · 10 = extremely likely",
	answerAllButton:  "Answer the whole survey",
	anonymityNote:    ":lock: Anonymous: your answers are stored without your name.",
	openUntil:        "Open until %s.",
	recorded:         ":white_check_mark: Recorded: *%d*. It is stored without your name. You can change it until %s by tapping another number.",
	recordedFallback: "Recorded: %d",
	closed:           "This round closed on %s. Thank you to everyone who took part; answers that came in are counted, and there will be another chance next round.",
	reminder:         "Reminder: *%s* is open until %s. It takes less than a minute.",
	reminderLink:     "Answer it here",
	lateTap:          "This round has closed, so that answer was not recorded. Thank you all the same!",
	help: "*Pulse* sends short pulse surveys here in Slack.\n" +
		"• `/pulse`: the surveys open for you\n" +
		"• `/pulse dashboard`: a one-time sign-in link to the web dashboard (valid 10 minutes)\n" +
		"• `/pulse help`: this message\n" +
		"*Anonymity:* answers are stored without your name. Managers and HR see results only for groups large enough that nobody can be singled out, never one person's answer. You can change an answer until the round closes.",
	modalTitle:         "Pulse survey",
	modalSubmit:        "Submit",
	modalCancel:        "Cancel",
	choosePlaceholder:  "Choose…",
	commentPlaceholder: "Optional comment",
	yes:                "Yes",
	no:                 "No",
	agreement:          [5]string{"Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"},
	allowRepliesLabel:  "Anonymous replies",
	allowReplies:       "Allow anonymous replies to my comment",
	allowRepliesHint:   "A manager can reply to you in Slack without learning who you are, until 30 days after the survey closes.",
	errRequired:        "Please choose an answer.",
	errInvalid:         "That answer is not one of the options.",
	errTooLong:         "Please keep it to %d characters or fewer.",
	errBadText:         "This text holds characters Pulse cannot store; please retype it.",
	weekdays:           [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
	months: [12]string{"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December"},
	notInDirectory:    "Pulse's people directory does not list this Slack account, so Pulse cannot take answers from it. Please ask your HR team to add you with the email address you use in Slack.",
	notAsked:          "That survey was not sent to you, so nothing was recorded.",
	notOpenYet:        "This survey opens for you on %s, so nothing was recorded yet. Please answer from then.",
	deactivated:       "Your Pulse account is deactivated, so nothing was recorded. If that is a mistake, please ask your HR team.",
	failed:            "Sorry, something went wrong and nothing was recorded. Please try again in a moment.",
	noOpenSurveys:     "No surveys are open for you right now.",
	openSurveys:       "Surveys open for you:",
	signIn:            "<%s|Open the Pulse dashboard>. The link signs you in once and expires at %s; do not share it.",
	homeSurveys:       "Your open surveys",
	homeScores:        "Latest eNPS",
	scoreLine:         "*%s* · %s: eNPS *%s* (%s), %d answers",
	marginLine:        "±%s; 95%% interval %s to %s",
	everyoneAnswered:  "everyone answered, so no margin",
	scoreSuppressed:   "*%s* · %s: not enough answers yet",
	wholeOrganisation: "Whole organisation",
	noScores:          "No results yet.",
	replyToAuthor:     "*%s* replied to your anonymous comment:",
	replyPrivacy:      ":lock: They do not know who you are, and an answer from you will not tell them.",
	answerAnonymously: "Answer anonymously",
	authorAnswered:    "The author of an anonymous comment answered your reply:",
	replyModalTitle:   "Anonymous answer",
	replyModalLabel:   "Your answer (sent without your name)",
	replyNotAllowed:   "Only the author of that comment can answer here.",
	replyClosed:       "This conversation is closed: answers are possible until 30 days after the survey closes.",
	digestTitle:       "Your weekly eNPS digest",
	digestTitleOwn:    "Your weekly digest",
	digestLine:        "*%s* · %s: eNPS *%s* (%s), %d answers, %s participation",
	digestChange:      "%s points since the previous round",
	digestSignificant: " (a significant change)",
	digestSuppressed:  "*%s* · %s: not enough answers this week to show a score",
	digestComments:    "%d new comments to read in the dashboard",
	oneOnOneSoon:      ":calendar: Your 1:1 with *%s* starts %s.",
	oneOnOneAgenda:    "<%s|Open the agenda> to add what you want to talk about.",
	homeOneOnOne:      "*Next 1:1:* with %s, %s",
}

var malay = catalog{
	defaultIntro:     "Hai! Ini tinjauan ringkas. Satu ketikan di bawah sudah menjawab soalan utama.",
	enpsScaleHint:    "%d = langsung tidak mungkin · 10 = sangat mungkin",
	answerAllButton:  "Jawab seluruh tinjauan",
	anonymityNote:    ":lock: Tanpa nama: jawapan anda disimpan tanpa nama anda.",
	openUntil:        "Dibuka sehingga %s.",
	recorded:         ":white_check_mark: Direkodkan: *%d*. Ia disimpan tanpa nama anda. Anda boleh mengubahnya sehingga %s dengan menekan nombor lain.",
	recordedFallback: "Direkodkan: %d",
	closed:           "Pusingan ini telah ditutup pada %s. Terima kasih kepada semua yang mengambil bahagian; jawapan yang diterima telah dikira, dan anda boleh menjawab pada pusingan seterusnya.",
	reminder:         "Peringatan: *%s* dibuka sehingga %s. Ia mengambil masa kurang dari seminit.",
	reminderLink:     "Jawab di sini",
	lateTap:          "Pusingan ini telah ditutup, jadi jawapan itu tidak direkodkan. Terima kasih juga!",
	help: "*Pulse* menghantar tinjauan ringkas di sini dalam Slack.\n" +
		"• `/pulse`: tinjauan yang dibuka untuk anda\n" +
		"• `/pulse dashboard`: pautan log masuk sekali guna ke papan pemuka web (sah selama 10 minit)\n" +
		"• `/pulse help`: mesej ini\n" +
		"*Tanpa nama:* jawapan disimpan tanpa nama anda. Pengurus dan HR hanya melihat keputusan bagi kumpulan yang cukup besar supaya tiada sesiapa dapat dikenal pasti, tidak pernah jawapan seorang individu. Anda boleh mengubah jawapan sehingga pusingan ditutup.",
	modalTitle:         "Tinjauan Pulse",
	modalSubmit:        "Hantar",
	modalCancel:        "Batal",
	choosePlaceholder:  "Pilih…",
	commentPlaceholder: "Komen (pilihan)",
	yes:                "Ya",
	no:                 "Tidak",
	agreement:          [5]string{"Sangat tidak setuju", "Tidak setuju", "Neutral", "Setuju", "Sangat setuju"},
	allowRepliesLabel:  "Balasan tanpa nama",
	allowReplies:       "Benarkan balasan tanpa nama kepada komen saya",
	allowRepliesHint:   "Pengurus boleh membalas anda di Slack tanpa mengetahui siapa anda, sehingga 30 hari selepas tinjauan ditutup.",
	errRequired:        "Sila pilih satu jawapan.",
	errInvalid:         "Jawapan itu bukan salah satu pilihan.",
	errTooLong:         "Sila hadkan kepada %d aksara.",
	errBadText:         "Teks ini mengandungi aksara yang tidak dapat disimpan oleh Pulse; sila taip semula.",
	weekdays:           [7]string{"Ahad", "Isnin", "Selasa", "Rabu", "Khamis", "Jumaat", "Sabtu"},
	months: [12]string{"Januari", "Februari", "Mac", "April", "Mei", "Jun", "Julai",
		"Ogos", "September", "Oktober", "November", "Disember"},
	notInDirectory:    "Direktori Pulse tidak menyenaraikan akaun Slack ini, jadi Pulse tidak dapat menerima jawapan daripadanya. Sila minta pasukan HR menambah anda dengan alamat e-mel yang anda gunakan di Slack.",
	notAsked:          "Tinjauan itu tidak dihantar kepada anda, jadi tiada apa yang direkodkan.",
	notOpenYet:        "Tinjauan ini dibuka untuk anda pada %s, jadi belum ada apa yang direkodkan. Sila jawab selepas itu.",
	deactivated:       "Akaun Pulse anda telah dinyahaktifkan, jadi tiada apa yang direkodkan. Jika ini satu kesilapan, sila hubungi pasukan HR anda.",
	failed:            "Maaf, berlaku ralat dan tiada apa yang direkodkan. Sila cuba lagi sebentar lagi.",
	noOpenSurveys:     "Tiada tinjauan yang dibuka untuk anda sekarang.",
	openSurveys:       "Tinjauan yang dibuka untuk anda:",
	signIn:            "<%s|Buka papan pemuka Pulse>. Pautan ini melog masuk anda sekali sahaja dan tamat tempoh pada %s; jangan kongsikannya.",
	homeSurveys:       "Tinjauan anda yang dibuka",
	homeScores:        "eNPS terkini",
	scoreLine:         "*%s* · %s: eNPS *%s* (%s), %d jawapan",
	marginLine:        "±%s; selang 95%% %s hingga %s",
	everyoneAnswered:  "semua orang menjawab, jadi tiada margin",
	scoreSuppressed:   "*%s* · %s: jawapan belum mencukupi",
	wholeOrganisation: "Seluruh organisasi",
	noScores:          "Belum ada keputusan.",
	replyToAuthor:     "*%s* membalas komen tanpa nama anda:",
	replyPrivacy:      ":lock: Mereka tidak tahu siapa anda, dan jawapan daripada anda tidak akan memberitahu mereka.",
	answerAnonymously: "Jawab tanpa nama",
	authorAnswered:    "Penulis komen tanpa nama menjawab balasan anda:",
	replyModalTitle:   "Jawapan tanpa nama",
	replyModalLabel:   "Jawapan anda (dihantar tanpa nama anda)",
	replyNotAllowed:   "Hanya penulis komen itu boleh menjawab di sini.",
	replyClosed:       "Perbualan ini telah ditutup: jawapan boleh dihantar sehingga 30 hari selepas tinjauan ditutup.",
	digestTitle:       "Ringkasan eNPS mingguan anda",
	digestTitleOwn:    "Ringkasan mingguan anda",
	digestLine:        "*%s* · %s: eNPS *%s* (%s), %d jawapan, penyertaan %s",
	digestChange:      "%s mata sejak pusingan sebelumnya",
	digestSignificant: " (perubahan yang ketara)",
	digestSuppressed:  "*%s* · %s: jawapan minggu ini belum mencukupi untuk menunjukkan skor",
	digestComments:    "%d komen baharu untuk dibaca di papan pemuka",
	oneOnOneSoon:      ":calendar: 1:1 anda bersama *%s* bermula %s.",
	oneOnOneAgenda:    "<%s|Buka agenda> untuk menambah perkara yang ingin anda bincangkan.",
	homeOneOnOne:      "*1:1 seterusnya:* bersama %s, %s",
}

// ResolveLocale picks the language for one person: their own Slack locale when
// Pulse speaks it, else the survey's, else English. Slack reports locales such
// as "ms-MY"; only the language part matters here.
func ResolveLocale(employeeLocale, surveyLocale string) string {
	for _, candidate := range []string{employeeLocale, surveyLocale} {
		if lang := languageOf(candidate); catalogs[lang] != nil {
			return lang
		}
	}
	return LocaleEnglish
}

func languageOf(locale string) string {
	lang, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(locale)), "-")
	lang, _, _ = strings.Cut(lang, "_")
	return lang
}

func catalogFor(employeeLocale, surveyLocale string) *catalog {
	return catalogs[ResolveLocale(employeeLocale, surveyLocale)]
}

// formatDeadline writes a closing time the way a person reads it in their own
// zone, e.g. "Friday 4 December, 17:00 (Asia/Kuala_Lumpur)". The zone name is
// spelled out because a bare "17:00" is ambiguous across a distributed team.
// Rounds close within days, so the year would only add noise.
func (c *catalog) formatDeadline(at time.Time, zone *time.Location) string {
	if zone == nil {
		zone = time.UTC
	}
	local := at.In(zone)
	return fmt.Sprintf("%s %d %s, %02d:%02d (%s)",
		c.weekdays[local.Weekday()], local.Day(), c.months[local.Month()-1],
		local.Hour(), local.Minute(), zone.String())
}
