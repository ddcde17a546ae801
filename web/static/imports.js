// HR's imports: people from a CSV file, and sales data from CRM exports
// (deals, activities, leads, quotas, spend). An import is all-or-nothing:
// a refused file changed nothing, and the report lists every bad line and
// why. Below, what was imported when.

import { apiPage, apiUpload } from "./api.js";
import { $, busy, el, fill, say } from "./dom.js";
import { browserZone, shortDateTime } from "./format.js";
import { strings } from "./i18n.js";
import { field, select } from "./fields.js";

const t = strings({
  en: {
    "imports.title": "Imports",
    "imports.people": "People from a CSV file",
    "imports.peopleHelp": "Columns: email, name, team, manager_email, role, timezone, locale (only email and name are required). People are matched by email: a new email adds a person, a known one updates them, and an empty cell keeps what is on file. A team that does not exist yet is created. There is no Slack column: Slack links people by email itself.",
    "imports.sales": "Sales data from your CRM",
    "imports.salesHelp": "Exports from Salesforce, HubSpot or Pipedrive work as they are, or use the column names in the README. Each row is matched on its external id (quotas on owner and period, spend on period), so importing the same file again changes nothing twice.",
    "imports.kind": "Kind of data",
    "imports.deals": "Deals",
    "imports.activities": "Activities (calls, meetings, emails, follow-ups)",
    "imports.leads": "Leads",
    "imports.quotas": "Quotas",
    "imports.spend": "Sales and marketing spend",
    "imports.file": "CSV file",
    "imports.uploadPeople": "Import people",
    "imports.uploadSales": "Import sales data",
    "imports.pick": "Choose a CSV file first.",
    "imports.refused": "Nothing was imported: the file was refused whole. Fix these lines and upload it again.",
    "imports.refusedOne": "Nothing was imported. {reason}",
    "imports.line": "Line",
    "imports.column": "Column",
    "imports.problem": "Problem",
    "imports.wholeFile": "whole file",
    "imports.donePeople": "Imported: {created} added, {updated} updated, {unchanged} unchanged.",
    "imports.newTeams": "New teams: {teams}.",
    "imports.doneSales": "Imported: {created} added, {updated} updated.",
    "imports.history": "What was imported when",
    "imports.historyPeople": "People",
    "imports.historySales": "Sales data",
    "imports.started": "Started",
    "imports.what": "What",
    "imports.status": "Status",
    "imports.added": "Added",
    "imports.updated": "Updated",
    "imports.caption": "Newest first. Times in your time zone ({zone}). An undone import was stopped part-way and taken back whole.",
    "imports.none": "Nothing imported yet.",
    "imports.more": "Show older imports",
    "imports.applying": "being applied",
    "imports.done": "done",
    "imports.undone": "undone",
    "imports.employees": "People",
    "imports.scrolls": "The refused lines, a table that scrolls sideways",
  },
  ms: {
    "imports.title": "Import",
    "imports.people": "Kakitangan daripada fail CSV",
    "imports.peopleHelp": "Lajur: email, name, team, manager_email, role, timezone, locale (hanya email dan name diwajibkan). Kakitangan dipadankan mengikut e-mel: e-mel baharu menambah seorang, e-mel yang dikenali mengemas kini mereka, dan sel kosong mengekalkan apa yang ada dalam fail. Pasukan yang belum wujud akan dicipta. Tiada lajur Slack: Slack memautkan kakitangan mengikut e-mel dengan sendirinya.",
    "imports.sales": "Data jualan daripada CRM anda",
    "imports.salesHelp": "Eksport daripada Salesforce, HubSpot atau Pipedrive boleh digunakan seadanya, atau gunakan nama lajur dalam README. Setiap baris dipadankan pada id luarannya (kuota pada pemilik dan tempoh, perbelanjaan pada tempoh), jadi mengimport fail yang sama sekali lagi tidak mengubah apa-apa dua kali.",
    "imports.kind": "Jenis data",
    "imports.deals": "Urus niaga",
    "imports.activities": "Aktiviti (panggilan, mesyuarat, e-mel, susulan)",
    "imports.leads": "Prospek",
    "imports.quotas": "Kuota",
    "imports.spend": "Perbelanjaan jualan dan pemasaran",
    "imports.file": "Fail CSV",
    "imports.uploadPeople": "Import kakitangan",
    "imports.uploadSales": "Import data jualan",
    "imports.pick": "Pilih fail CSV dahulu.",
    "imports.refused": "Tiada apa-apa diimport: keseluruhan fail ditolak. Betulkan baris ini dan muat naik semula.",
    "imports.refusedOne": "Tiada apa-apa diimport. {reason}",
    "imports.line": "Baris",
    "imports.column": "Lajur",
    "imports.problem": "Masalah",
    "imports.wholeFile": "seluruh fail",
    "imports.donePeople": "Diimport: {created} ditambah, {updated} dikemas kini, {unchanged} tidak berubah.",
    "imports.newTeams": "Pasukan baharu: {teams}.",
    "imports.doneSales": "Diimport: {created} ditambah, {updated} dikemas kini.",
    "imports.history": "Apa yang diimport dan bila",
    "imports.historyPeople": "Kakitangan",
    "imports.historySales": "Data jualan",
    "imports.started": "Bermula",
    "imports.what": "Apa",
    "imports.status": "Status",
    "imports.added": "Ditambah",
    "imports.updated": "Dikemas kini",
    "imports.caption": "Terbaharu dahulu. Masa dalam zon waktu anda ({zone}). Import yang dibatalkan terhenti separuh jalan dan ditarik balik sepenuhnya.",
    "imports.none": "Belum ada apa-apa diimport.",
    "imports.more": "Tunjukkan import lebih lama",
    "imports.applying": "sedang digunakan",
    "imports.done": "selesai",
    "imports.undone": "dibatalkan",
    "imports.employees": "Kakitangan",
    "imports.scrolls": "Baris yang ditolak, jadual yang boleh ditatal ke tepi",
  },
});

const kinds = () => [["deals", t("imports.deals")], ["activities", t("imports.activities")], ["leads", t("imports.leads")],
  ["quotas", t("imports.quotas")], ["spend", t("imports.spend")]];

// initImports draws both upload forms and the history.
export async function initImports() {
  const history = el("div");
  const refresh = () => drawHistory(history);
  fill($("imports-body"),
    uploadCard("people", t("imports.people"), t("imports.peopleHelp"), null, t("imports.uploadPeople"), refresh),
    uploadCard("sales", t("imports.sales"), t("imports.salesHelp"), kinds(), t("imports.uploadSales"), refresh),
    el("section", { class: "card", "aria-labelledby": "imports-history-title" },
      el("h3", { id: "imports-history-title" }, t("imports.history")), history));
  await refresh();
}

function uploadCard(name, title, help, kindOptions, action, done) {
  const titleId = "import-" + name + "-title";
  const file = el("input", { type: "file", accept: ".csv,text/csv" });
  const kind = kindOptions ? field("kind", t("imports.kind"), select(kindOptions, "deals")) : null;
  const fileField = field("file", t("imports.file"), file);
  const button = el("button", {}, action);
  const status = el("p", { class: "saved-note", role: "status" });
  const report = el("div", { class: "import-report" });
  const form = el("form", { class: "upload", novalidate: true }, kind && kind.node, fileField.node, el("div", { class: "row" }, button), status, report);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    say(status, "");
    fill(report);
    fileField.setError("");
    if (!file.files.length) {
      fileField.setError(t("imports.pick").replace(/\.$/, ""));
      return;
    }
    const path = kind ? `/sales/${kind.control.value}/import` : "/employees/import";
    await busy(button, async () => {
      try {
        const res = await apiUpload(path, file.files[0]);
        say(status, kind ? t("imports.doneSales", res) : doneText(res));
        file.value = "";
        await done();
      } catch (err) {
        fill(report, refusal(err, titleId));
      }
    });
  });
  return el("section", { class: "card", "aria-labelledby": titleId },
    el("h3", { id: titleId }, title), el("p", { class: "hint" }, help), form);
}

function doneText(res) {
  const text = t("imports.donePeople", res);
  return res.teams_created && res.teams_created.length ? text + " " + t("imports.newTeams", { teams: res.teams_created.join(", ") }) : text;
}

// refusal is the error report: every bad line with its column and reason.
function refusal(err, titleId) {
  const lines = (err.details || []).filter((d) => d.line || d.field);
  if (!lines.length) return el("p", { class: "error", role: "alert" }, t("imports.refusedOne", { reason: err.message }));
  return [
    el("p", { class: "error", role: "alert" }, t("imports.refused")),
    el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": t("imports.scrolls") },
      el("table", { class: "problems stack-narrow" },
        el("thead", {}, el("tr", {}, [t("imports.line"), t("imports.column"), t("imports.problem")].map((h) => el("th", { scope: "col" }, h)))),
        el("tbody", {}, lines.map((d) => el("tr", {},
          el("th", { scope: "row" }, d.line ? String(d.line) : t("imports.wholeFile")),
          el("td", { "data-label": t("imports.column") }, d.field || "\u2014"),
          el("td", { "data-label": t("imports.problem") }, d.reason)))))),
  ];
}

async function drawHistory(box) {
  const error = el("p", { class: "error", role: "alert" });
  const people = el("tbody");
  const sales = el("tbody");
  fill(box, el("p", { class: "hint" }, t("imports.caption", { zone: browserZone() })),
    historyTable("imports-people-h", t("imports.historyPeople"), people),
    historyTable("imports-sales-h", t("imports.historySales"), sales), error);
  await Promise.all([historyPage(people, "/employees/imports", null, error), historyPage(sales, "/sales/imports", null, error)]);
}

function historyTable(id, title, body) {
  return [el("h4", { id }, title), el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-labelledby": id },
    el("table", { class: "imports stack-narrow" },
      el("thead", {}, el("tr", {}, [t("imports.started"), t("imports.what"), t("imports.status"), t("imports.added"), t("imports.updated")]
        .map((h) => el("th", { scope: "col" }, h)))),
      body))];
}

async function historyPage(body, path, cursor, error) {
  try {
    const { rows, next } = await apiPage(path + "?limit=20", cursor);
    if (!rows.length && !cursor) body.append(el("tr", {}, el("td", { colspan: 5, class: "muted" }, t("imports.none"))));
    const kindNames = Object.fromEntries(kinds());
    const statuses = { applying: t("imports.applying"), done: t("imports.done"), undone: t("imports.undone") };
    for (const r of rows) {
      body.append(el("tr", {},
        el("th", { scope: "row" }, shortDateTime(r.started_at)),
        el("td", { "data-label": t("imports.what") }, r.kind === "employees" ? t("imports.employees") : kindNames[r.kind] || r.kind),
        el("td", { "data-label": t("imports.status") }, el("span", { class: "badge " + (r.status === "done" ? "done" : "") }, statuses[r.status] || r.status)),
        el("td", { class: "num", "data-label": t("imports.added") }, String(r.created)),
        el("td", { class: "num", "data-label": t("imports.updated") }, String(r.updated))));
    }
    if (next) {
      const row = el("tr", {}, el("td", { colspan: 5 }, el("button", { type: "button", class: "link", onclick: () => {
        row.remove();
        historyPage(body, path, next, error);
      } }, t("imports.more"))));
      body.append(row);
    }
  } catch (err) {
    error.textContent = err.message;
  }
}
