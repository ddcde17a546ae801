// What a question summary on Results covers, and how its latest period
// compares with the one before: "Covers Oct 2026 – Nov 2026 (6 rounds).
// Nov 2026: 3.9 out of 5, +0.4 since Oct 2026."

import { el } from "./dom.js";
import { period, signed } from "./format.js";
import { strings } from "./i18n.js";

const t = strings({
  en: {
    "qperiod.covers": "Covers {from} – {to} ({rounds}).",
    "qperiod.coversOne": "Covers {from} ({rounds}).",
    "qperiod.rounds": { one: "{n} round", other: "{n} rounds" },
    "qperiod.latestMean": "{period}: {mean} out of 5",
    "qperiod.latestShare": "{period}: {share} {what}",
    "qperiod.since": "{change} since {period}",
    "qperiod.noPrevious": "no earlier period to compare with",
    "qperiod.hidden": "{period}: not enough answers to show",
    "qperiod.previousHidden": "{period} had too few answers to compare with",
    "qperiod.yes": "yes",
    "qperiod.points": "{change} points",
  },
  ms: {
    "qperiod.covers": "Merangkumi {from} – {to} ({rounds}).",
    "qperiod.coversOne": "Merangkumi {from} ({rounds}).",
    "qperiod.rounds": "{n} pusingan",
    "qperiod.latestMean": "{period}: {mean} daripada 5",
    "qperiod.latestShare": "{period}: {share} {what}",
    "qperiod.since": "{change} sejak {period}",
    "qperiod.noPrevious": "tiada tempoh lebih awal untuk dibandingkan",
    "qperiod.hidden": "{period}: jawapan tidak mencukupi untuk dipaparkan",
    "qperiod.previousHidden": "{period} mempunyai terlalu sedikit jawapan untuk dibandingkan",
    "qperiod.yes": "ya",
    "qperiod.points": "{change} mata",
  },
});

// questionPeriods is the note under a question's title, or null when the
// summary counts nothing.
export function questionPeriods(q, groupBy) {
  if (!q.from) return null;
  const name = (start) => period({ period_start: start }, groupBy);
  const rounds = t("qperiod.rounds", { n: q.rounds });
  const covers = q.from === q.to
    ? t("qperiod.coversOne", { from: name(q.from), rounds })
    : t("qperiod.covers", { from: name(q.from), to: name(q.to), rounds });
  return el("p", { class: "meta q-periods" }, covers, " ", latestLine(q, name));
}

function latestLine(q, name) {
  const latest = q.latest;
  if (!latest) return "";
  if (latest.suppressed) return t("qperiod.hidden", { period: name(latest.period_start) }) + ".";
  const now = figure(q.kind, latest);
  if (!now) return "";
  const prev = q.previous;
  let change = t("qperiod.noPrevious");
  if (prev && prev.suppressed) change = t("qperiod.previousHidden", { period: name(prev.period_start) });
  else if (prev && figure(q.kind, prev, now.option)) {
    const before = figure(q.kind, prev, now.option);
    const delta = q.kind === "scale" ? signed(now.value - before.value, 1) : t("qperiod.points", { change: signed((now.value - before.value) * 100, 0) });
    change = t("qperiod.since", { change: delta, period: name(prev.period_start) });
  }
  const head = q.kind === "scale"
    ? t("qperiod.latestMean", { period: name(latest.period_start), mean: now.value.toFixed(1) })
    : t("qperiod.latestShare", { period: name(latest.period_start), share: Math.round(now.value * 100) + "%", what: now.what });
  return head + ", " + change + ".";
}

// figure is what a period is compared by: the mean of a scale, the share
// of "yes", or the share of one option of a choice (by default the one most
// chosen in the period).
function figure(kind, p, option) {
  if (kind === "scale") return p.scale && p.scale.n ? { value: p.scale.mean } : null;
  const s = p.shares;
  if (!s || !s.n) return null;
  if (kind === "yes_no") return { value: s.shares.yes || 0, what: t("qperiod.yes") };
  const top = option ?? Object.keys(s.counts).sort((a, b) => s.counts[b] - s.counts[a])[0];
  return top === undefined ? null : { value: s.shares[top] || 0, what: "\u201c" + top + "\u201d", option: top };
}
