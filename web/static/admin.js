// HR's rounds console (send a round now, see deliveries, close early) and
// the settings view: anonymity thresholds (HR) and the weekly digest
// (managers and HR).

import { api, apiAll } from "./api.js";
import { $, bar, busy, confirmAction, el, fill, say, sentence, uid } from "./dom.js";
import { browserZone, percent, shortDateTime } from "./format.js";
import { fillSurveys } from "./results.js";
import { sendNow, sentNote } from "./send.js";
import { deliveryReason, recipientsSection } from "./deliveries.js";
import { strings } from "./i18n.js";

const t = strings({
  en: {
    "rounds.noSurveys": "There are no surveys yet.",
    "rounds.none": "No rounds yet. Send one now, or wait for the survey's cadence.",
    "rounds.details": "Details",
    "rounds.countedAtClose": "counted at close",
    "rounds.answeredOf": "{answered} of {recipients}",
    "rounds.belowThreshold": "below the threshold",
    "rounds.caption": "Newest first. Times are in your time zone ({zone}).",
    "rounds.firstSend": "First send",
    "rounds.closes": "Closes",
    "rounds.status": "Status",
    "rounds.answered": "Answered",
    "rounds.participation": "Participation",
    "rounds.actions": "Actions",
    "rounds.showAll": "Show all {n} rounds",
    "rounds.label": "Rounds",
    "rounds.scheduled": "Scheduled",
    "rounds.open": "Open",
    "rounds.closed": "Closed",
    "rounds.failed": "Failed",
    "rounds.notSent": "Not sent",
    "rounds.pending": "Pending",
    "rounds.sent": "Sent",
    "rounds.loading": "Loading…",
    "rounds.refresh": "Refresh",
    "rounds.deliveries": "Deliveries",
    "rounds.noDeliveries": "No deliveries were recorded for this round.",
    "rounds.chipPending": "pending",
    "rounds.chipSent": "sent",
    "rounds.chipFailed": "failed",
    "rounds.chipNotSent": "not sent",
    "rounds.reason": { one: ": {reason} ({n} person)", other: ": {reason} ({n} people)" },
    "rounds.closeNow": "Close now",
    "rounds.closeAsk": "Close this round now?",
    "rounds.closeText": "Nobody can answer or change answers afterwards, and its results are computed once, now.",
    "rounds.closeButton": "Close the round",
    "rounds.closedNote": "Round closed.",
    "settings.digest": "Weekly digest",
    "settings.digestSaved": "Saved. Your first digest arrives next Monday.",
    "settings.digestOff": "Saved. You will not get the digest.",
    "settings.digestLabel": " Send me a weekly Slack digest",
    "settings.digestHint": "Mondays at 09:00 your time: for the teams you lead, each team\u2019s latest eNPS with its margin, the change since the previous round, participation and the number of new comments, under the same anonymity rules as here; for everyone, your own open 1:1 action items and the overdue action plans you own. A week with nothing to say sends nothing.",
    "settings.anon": "Anonymity thresholds",
    "settings.anonText": "Results are hidden for any group with fewer than {k} answers, and comments for any group with fewer than {kc} commenters. HR sets these thresholds.",
    "settings.minLabel": "Fewest answers to show a result",
    "settings.minHint": "Scores and summaries of a smaller group are hidden. 3 to 20; 5 is common.",
    "settings.minCommentLabel": "Fewest commenters to show comments",
    "settings.minCommentHint": "A round\u2019s comments for a smaller group are hidden. 3 to 20.",
    "settings.save": "Save thresholds",
    "settings.saved": "Saved. Groups with fewer than {k} answers are hidden.",
    "settings.notSaved": "Nothing was saved. Check the fields marked above.",
  },
  ms: {
    "rounds.noSurveys": "Belum ada tinjauan.",
    "rounds.none": "Belum ada pusingan. Hantar satu sekarang, atau tunggu jadual tinjauan.",
    "rounds.details": "Butiran",
    "rounds.countedAtClose": "dikira semasa ditutup",
    "rounds.answeredOf": "{answered} daripada {recipients}",
    "rounds.belowThreshold": "di bawah ambang",
    "rounds.caption": "Terbaharu dahulu. Masa dalam zon waktu anda ({zone}).",
    "rounds.firstSend": "Penghantaran pertama",
    "rounds.closes": "Ditutup",
    "rounds.status": "Status",
    "rounds.answered": "Dijawab",
    "rounds.participation": "Penyertaan",
    "rounds.actions": "Tindakan",
    "rounds.showAll": "Tunjukkan semua {n} pusingan",
    "rounds.label": "Pusingan",
    "rounds.scheduled": "Dijadualkan",
    "rounds.open": "Dibuka",
    "rounds.closed": "Ditutup",
    "rounds.failed": "Gagal",
    "rounds.notSent": "Tidak dihantar",
    "rounds.pending": "Menunggu",
    "rounds.sent": "Dihantar",
    "rounds.loading": "Memuatkan…",
    "rounds.refresh": "Muat semula",
    "rounds.deliveries": "Penghantaran",
    "rounds.noDeliveries": "Tiada penghantaran direkodkan untuk pusingan ini.",
    "rounds.chipPending": "menunggu",
    "rounds.chipSent": "dihantar",
    "rounds.chipFailed": "gagal",
    "rounds.chipNotSent": "tidak dihantar",
    "rounds.reason": ": {reason} ({n} orang)",
    "rounds.closeNow": "Tutup sekarang",
    "rounds.closeAsk": "Tutup pusingan ini sekarang?",
    "rounds.closeText": "Tiada sesiapa boleh menjawab atau mengubah jawapan selepas itu, dan keputusannya dikira sekali sahaja, sekarang.",
    "rounds.closeButton": "Tutup pusingan",
    "rounds.closedNote": "Pusingan ditutup.",
    "settings.digest": "Ringkasan mingguan",
    "settings.digestSaved": "Disimpan. Ringkasan pertama anda tiba Isnin depan.",
    "settings.digestOff": "Disimpan. Anda tidak akan menerima ringkasan.",
    "settings.digestLabel": " Hantar kepada saya ringkasan mingguan dalam Slack",
    "settings.digestHint": "Setiap Isnin jam 09:00 waktu anda: bagi pasukan yang anda ketuai, eNPS terkini setiap pasukan dengan marginnya, perubahan sejak pusingan sebelumnya, penyertaan dan bilangan komen baharu, di bawah peraturan kerahsiaan identiti yang sama seperti di sini; bagi semua orang, item tindakan 1:1 anda yang masih terbuka dan pelan tindakan lewat yang anda miliki. Minggu tanpa apa-apa untuk dilaporkan tidak menghantar apa-apa.",
    "settings.anon": "Ambang kerahsiaan identiti",
    "settings.anonText": "Keputusan disembunyikan bagi mana-mana kumpulan dengan kurang daripada {k} jawapan, dan komen bagi mana-mana kumpulan dengan kurang daripada {kc} pengulas. HR menetapkan ambang ini.",
    "settings.minLabel": "Jawapan paling sedikit untuk memaparkan keputusan",
    "settings.minHint": "Skor dan ringkasan kumpulan yang lebih kecil disembunyikan. 3 hingga 20; 5 adalah biasa.",
    "settings.minCommentLabel": "Pengulas paling sedikit untuk memaparkan komen",
    "settings.minCommentHint": "Komen pusingan bagi kumpulan yang lebih kecil disembunyikan. 3 hingga 20.",
    "settings.save": "Simpan ambang",
    "settings.saved": "Disimpan. Kumpulan dengan kurang daripada {k} jawapan disembunyikan.",
    "settings.notSaved": "Tiada apa-apa disimpan. Semak medan yang ditanda di atas.",
  },
});

const listed = 10;
let ctx;

// initRounds sets up the rounds view for HR.
export async function initRounds(context) {
  ctx = context;
  const surveys = await ctx.surveys();
  fillSurveys($("r-survey"), surveys, ctx.surveyId);
  $("r-survey").addEventListener("change", () => {
    ctx.pickSurvey(Number($("r-survey").value));
    loadRounds();
  });
  $("send-round").addEventListener("click", sendRound);
  $("send-round").disabled = !surveys.length;
  await loadRounds();
}

// showRounds follows a survey picked in another view.
export function showRounds() {
  if (ctx && $("r-survey").value !== String(ctx.surveyId)) {
    $("r-survey").value = String(ctx.surveyId);
    loadRounds();
  }
}

async function loadRounds(openId, all) {
  const id = Number($("r-survey").value);
  say($("rounds-error"), "");
  if (!id) {
    fill($("rounds-body"), el("p", { class: "card muted" }, t("rounds.noSurveys")));
    return;
  }
  try {
    const rounds = await apiAll(`/surveys/${id}/rounds`);
    fill($("rounds-body"), roundsTable(rounds, openId, all));
  } catch (err) {
    fill($("rounds-body"));
    say($("rounds-error"), err.message);
  }
}

async function sendRound() {
  say($("rounds-status"), "");
  say($("rounds-error"), "");
  const surveys = await ctx.surveys();
  const survey = surveys.find((s) => String(s.id) === $("r-survey").value);
  if (!survey) return;
  await busy($("send-round"), async () => {
    try {
      const round = await sendNow(survey);
      if (!round) return;
      say($("rounds-status"), sentNote(round));
      await loadRounds(round.id);
    } catch (err) {
      say($("rounds-error"), err.message);
    }
  });
}

function roundsTable(rounds, openId, all) {
  if (!rounds.length) return el("p", { class: "card muted" }, t("rounds.none"));
  const body = el("tbody");
  for (const r of all ? rounds : rounds.slice(0, listed)) {
    const detailRow = el("tr", { class: "detail", hidden: true }, el("td", { colspan: 6 }));
    const detailId = uid("round");
    detailRow.firstChild.id = detailId;
    const toggle = el("button", { type: "button", class: "quiet", "aria-expanded": "false", "aria-controls": detailId }, t("rounds.details"));
    const show = async () => {
      const opening = detailRow.hidden;
      detailRow.hidden = !opening;
      toggle.setAttribute("aria-expanded", String(opening));
      if (opening) await roundDetail(detailRow.firstChild, r.id);
    };
    toggle.addEventListener("click", show);
    body.append(el("tr", {},
      el("th", { scope: "row" }, shortDateTime(r.opens_at || r.scheduled_at)),
      el("td", { "data-label": t("rounds.closes") }, shortDateTime(r.closed_at || r.closes_at)),
      el("td", { "data-label": t("rounds.status") },
        el("span", { class: "badge " + (r.status === "closed" ? "" : "open") }, roundStatusName(r.status))),
      // While a round is open no count is given, and participation only once k have answered.
      el("td", { class: "num", "data-label": t("rounds.answered") },
        r.answered === null ? t("rounds.countedAtClose") : t("rounds.answeredOf", { answered: r.answered, recipients: r.recipients })),
      el("td", { class: "participation", "data-label": t("rounds.participation") },
        r.participation === null ? t("rounds.belowThreshold") : bar("", r.participation, percent(r.participation))),
      el("td", {}, toggle)), detailRow);
    if (r.id === openId) show();
  }
  const table = el("div", { class: "table-wrap" }, el("table", { class: "rounds stack-narrow" },
    el("caption", { class: "hint" }, t("rounds.caption", { zone: browserZone() })),
    // The last column's header names it for screen readers; sighted people see its buttons.
    el("thead", {}, el("tr", {}, [t("rounds.firstSend"), t("rounds.closes"), t("rounds.status"), t("rounds.answered"),
      t("rounds.participation")].map((h) => el("th", { scope: "col" }, h)),
    el("th", { scope: "col" }, el("span", { class: "sr-only" }, t("rounds.actions"))))),
    body));
  const more = rounds.length > listed && !all
    ? el("button", { type: "button", class: "quiet", onclick: () => loadRounds(openId, true) }, t("rounds.showAll", { n: rounds.length }))
    : null;
  return el("div", { class: "card" }, table, more);
}

// A round created ahead of its first send is "scheduled" until then.
function roundStatusName(status) {
  return { scheduled: t("rounds.scheduled"), open: t("rounds.open"), closed: t("rounds.closed") }[status] || status;
}

function deliveryStatusName(status) {
  return { failed: t("rounds.failed"), not_sent: t("rounds.notSent"), pending: t("rounds.pending"), sent: t("rounds.sent") }[status] || status;
}

async function roundDetail(cell, id) {
  fill(cell, el("p", { class: "muted" }, t("rounds.loading")));
  let r;
  try {
    r = await api(`/rounds/${id}`);
  } catch (err) {
    fill(cell, el("p", { class: "error", role: "alert" }, err.message));
    return;
  }
  const d = r.deliveries;
  const error = el("p", { class: "error", role: "alert" });
  const chip = (label, n, cls) => el("li", { class: "chip " + cls }, el("strong", {}, n), " " + label);
  const refresh = el("button", { type: "button", class: "quiet", onclick: () => roundDetail(cell, id) }, t("rounds.refresh"));
  const parts = [el("div", { class: "detail-head" }, el("h4", {}, t("rounds.deliveries")), refresh)];
  if (d.pending + d.sent + d.failed + d.not_sent === 0) {
    parts.push(el("p", { class: "muted" }, t("rounds.noDeliveries")));
  } else {
    parts.push(el("ul", { class: "chips" },
      chip(t("rounds.chipPending"), d.pending, "pending"), chip(t("rounds.chipSent"), d.sent, "sent"),
      chip(t("rounds.chipFailed"), d.failed, "failed"), chip(t("rounds.chipNotSent"), d.not_sent, "not-sent")));
  }
  if (d.failures.length) {
    parts.push(el("ul", { class: "reasons" }, d.failures.map((f) =>
      el("li", {}, el("strong", {}, deliveryStatusName(f.status)), t("rounds.reason", { reason: deliveryReason(f.reason), n: f.count })))));
  }
  if (r.status !== "closed") {
    const close = el("button", { type: "button", class: "danger" }, t("rounds.closeNow"));
    close.addEventListener("click", async () => {
      if (!await confirmAction(t("rounds.closeAsk"), t("rounds.closeText"), t("rounds.closeButton"), true)) return;
      await busy(close, async () => {
        try {
          await api(`/rounds/${id}/close`, { method: "POST" });
          say($("rounds-status"), t("rounds.closedNote"));
          await loadRounds(id);
        } catch (err) {
          say(error, err.message);
        }
      });
    });
    parts.push(el("div", { class: "row" }, close));
  }
  parts.push(recipientsSection(id));
  parts.push(error);
  fill(cell, parts);
}

// initSettings shows the digest toggle and, for HR, the thresholds form.
export async function initSettings(context) {
  ctx = context;
  const box = $("settings-body");
  if (ctx.me.role === "employee") {
    // The thresholds are for those who read results; an employee's
    // settings are their digest alone.
    fill(box, digestCard(ctx.me));
    return;
  }
  const thresholds = await ctx.thresholds().catch((err) => ({ error: err }));
  fill(box, digestCard(ctx.me), thresholdsCard(thresholds, ctx.me.role === "hr_admin"));
}

function digestCard(me) {
  const id = uid("digest");
  const box = el("input", { type: "checkbox", id, "aria-describedby": id + "-hint" });
  box.checked = Boolean(me.weekly_digest);
  const status = el("p", { role: "status", class: "saved-note" });
  const error = el("p", { class: "error", role: "alert" });
  box.addEventListener("change", async () => {
    say(status, "");
    say(error, "");
    box.disabled = true;
    try {
      const updated = await api("/me/preferences", { method: "PATCH", body: { weekly_digest: box.checked } });
      me.weekly_digest = updated.weekly_digest;
      box.checked = updated.weekly_digest;
      say(status, box.checked ? t("settings.digestSaved") : t("settings.digestOff"));
    } catch (err) {
      box.checked = !box.checked;
      say(error, err.message);
    } finally {
      box.disabled = false;
    }
  });
  return el("section", { class: "card", "aria-labelledby": id + "-title" },
    el("h3", { id: id + "-title" }, t("settings.digest")),
    el("label", { class: "check", for: id }, box, t("settings.digestLabel")),
    el("p", { class: "hint", id: id + "-hint" }, t("settings.digestHint")),
    status, error);
}

function thresholdsCard(th, editable) {
  const section = el("section", { class: "card", "aria-labelledby": "anon-title" }, el("h3", { id: "anon-title" }, t("settings.anon")));
  if (th.error) return section.append(el("p", { class: "error", role: "alert" }, th.error.message)), section;
  if (!editable) {
    section.append(el("p", {}, t("settings.anonText", { k: th.min_respondents, kc: th.min_comment_respondents })));
    return section;
  }
  const fields = [
    numberField("min_respondents", t("settings.minLabel"), th.min_respondents, t("settings.minHint")),
    numberField("min_comment_respondents", t("settings.minCommentLabel"), th.min_comment_respondents, t("settings.minCommentHint")),
  ];
  const status = el("p", { role: "status", class: "saved-note" });
  const error = el("p", { class: "error", role: "alert" });
  const save = el("button", {}, t("settings.save"));
  const form = el("form", { class: "thresholds", novalidate: true }, fields.map((f) => f.node), el("div", { class: "row" }, save), status, error);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    say(status, "");
    say(error, "");
    fields.forEach((f) => f.setError(""));
    const body = Object.fromEntries(fields.map((f) => [f.name, f.value()]));
    await busy(save, async () => {
      try {
        const saved = await api("/settings/anonymity", { method: "PUT", body });
        ctx.resetThresholds();
        fields.forEach((f) => f.set(saved[f.name]));
        say(status, t("settings.saved", { k: saved.min_respondents }));
      } catch (err) {
        let placed = 0;
        for (const d of err.details) {
          const f = fields.find((x) => x.name === d.field);
          if (f) {
            f.setError(d.reason);
            placed++;
          }
        }
        say(error, placed ? t("settings.notSaved") : err.message);
      }
    });
  });
  section.append(form);
  return section;
}

function numberField(name, label, value, help) {
  const id = uid(name);
  const input = el("input", { id, name, type: "number", inputmode: "numeric", min: 3, max: 20, step: 1,
    "aria-describedby": id + "-hint " + id + "-error" });
  input.value = value;
  const error = el("p", { id: id + "-error", class: "field-error" });
  const node = el("div", { class: "field" }, el("label", { for: id }, label), input,
    el("p", { id: id + "-hint", class: "hint" }, help), error);
  return {
    name, node,
    value: () => (input.value.trim() === "" ? null : Number(input.value)),
    set: (v) => { input.value = v; },
    setError: (message) => {
      error.textContent = message ? sentence(message) + "." : "";
      if (message) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    },
  };
}
