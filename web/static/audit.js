// The audit log of identity changes, for HR: every change of a person's
// email or Slack binding, newest first, a page at a time. Each such change
// also signed the person out everywhere.

import { api, apiPage } from "./api.js";
import { el, fill } from "./dom.js";
import { shortDateTime, browserZone } from "./format.js";
import { strings } from "./i18n.js";

const t = strings({
  en: {
    "audit.title": "Identity changes",
    "audit.intro": "Every change of someone's email or Slack binding, newest first. Each one signed that person out everywhere.",
    "audit.show": "Show the audit log",
    "audit.when": "When",
    "audit.person": "Person",
    "audit.change": "Change",
    "audit.detail": "Detail",
    "audit.by": "By",
    "audit.caption": "Times in your time zone ({zone}).",
    "audit.none": "No identity changes yet.",
    "audit.more": "Show older changes",
    "audit.email_changed": "Email changed",
    "audit.slack_bound": "Linked to Slack",
    "audit.slack_unbound": "Unlinked from Slack",
    "audit.slackSync": "Slack sync",
    "audit.scrolls": "Identity changes, a table that scrolls sideways",
  },
  ms: {
    "audit.title": "Perubahan identiti",
    "audit.intro": "Setiap perubahan e-mel atau pautan Slack seseorang, yang terbaharu dahulu. Setiap satu melog keluar orang itu di mana-mana.",
    "audit.show": "Tunjukkan log audit",
    "audit.when": "Bila",
    "audit.person": "Orang",
    "audit.change": "Perubahan",
    "audit.detail": "Butiran",
    "audit.by": "Oleh",
    "audit.caption": "Masa dalam zon waktu anda ({zone}).",
    "audit.none": "Belum ada perubahan identiti.",
    "audit.more": "Tunjukkan perubahan lebih lama",
    "audit.email_changed": "E-mel ditukar",
    "audit.slack_bound": "Dipautkan ke Slack",
    "audit.slack_unbound": "Pautan Slack dibuang",
    "audit.slackSync": "Penyegerakan Slack",
    "audit.scrolls": "Perubahan identiti, jadual yang boleh ditatal ke tepi",
  },
});

const actions = () => ({
  email_changed: t("audit.email_changed"), slack_bound: t("audit.slack_bound"), slack_unbound: t("audit.slack_unbound"),
});

// auditCard is a card that loads the log when HR asks for it.
export function auditCard() {
  const body = el("div");
  const show = el("button", { type: "button", class: "quiet" }, t("audit.show"));
  show.addEventListener("click", async () => {
    show.remove();
    await firstPage(body);
  });
  return el("section", { class: "card", "aria-labelledby": "audit-title" },
    el("h3", { id: "audit-title" }, t("audit.title")), el("p", { class: "hint" }, t("audit.intro")), show, body);
}

async function firstPage(box) {
  const rows = el("tbody");
  const error = el("p", { class: "error", role: "alert" });
  fill(box, el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": t("audit.scrolls") },
    el("table", { class: "audit stack-narrow" },
      el("caption", { class: "hint" }, t("audit.caption", { zone: browserZone() })),
      el("thead", {}, el("tr", {}, [t("audit.when"), t("audit.person"), t("audit.change"), t("audit.detail"), t("audit.by")]
        .map((h) => el("th", { scope: "col" }, h)))),
      rows)), error);
  await page(rows, null, error, new Map());
}

async function page(rows, cursor, error, names) {
  try {
    const { rows: entries, next } = await apiPage("/audit?limit=50", cursor);
    if (!entries.length && !cursor) rows.append(el("tr", {}, el("td", { colspan: 5, class: "muted" }, t("audit.none"))));
    await nameAll(entries.map((e) => e.employee_id).concat(entries.map(actorID)).filter(Boolean), names);
    const words = actions();
    for (const e of entries) {
      rows.append(el("tr", {},
        el("th", { scope: "row" }, shortDateTime(e.at)),
        el("td", { "data-label": t("audit.person") }, names.get(e.employee_id) || "#" + e.employee_id),
        el("td", { "data-label": t("audit.change") }, words[e.action] || e.action),
        el("td", { class: "email", "data-label": t("audit.detail") }, e.detail),
        el("td", { "data-label": t("audit.by") }, actorName(e.actor, names))));
    }
    if (next) {
      const row = el("tr", {}, el("td", { colspan: 5 }, el("button", { type: "button", class: "link", onclick: () => {
        row.remove();
        page(rows, next, error, names);
      } }, t("audit.more"))));
      rows.append(row);
    }
  } catch (err) {
    error.textContent = err.message;
  }
}

// actorID is the employee an actor such as "employee:12" names.
function actorID(e) {
  const m = /^employee:(\d+)$/.exec(e.actor || "");
  return m ? Number(m[1]) : 0;
}

function actorName(actor, names) {
  if (actor === "slack sync") return t("audit.slackSync");
  const m = /^employee:(\d+)$/.exec(actor || "");
  return m ? names.get(Number(m[1])) || actor : actor;
}

// nameAll looks up the names of people not yet known, one call each: a
// page of the log names few distinct people.
async function nameAll(ids, names) {
  const wanted = [...new Set(ids)].filter((id) => !names.has(id));
  await Promise.all(wanted.map((id) => api(`/employees/${id}`).then((p) => names.set(id, p.name), () => names.set(id, "#" + id))));
}
