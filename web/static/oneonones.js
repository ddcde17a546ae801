// One-on-ones: the series I take part in, a series' meetings, and a
// meeting's agenda, notes and action items. Only the two participants can
// see any of it (the API answers 404 to everyone else, HR included).
//
// Pages follow the address: #one-on-ones (my series), #one-on-ones/{series}
// (the link in the Slack reminder) and #one-on-ones/meetings/{meeting}.

import { api, apiAll } from "./api.js";
import { $, busy, el, fill, say, uid } from "./dom.js";
import { browserZone, dateTime, day, shortDateTime } from "./format.js";
import { weekdayName } from "./cadence.js";
import { strings } from "./i18n.js";

const t = strings({
  en: {
    "oo.scheduled": "Scheduled",
    "oo.held": "Held",
    "oo.cancelled": "Cancelled",
    "oo.notFound": "This one-on-one could not be found. Only its two participants can open it.",
    "oo.all": "All my one-on-ones",
    "oo.yourReport": "your report",
    "oo.yourManager": "your manager",
    "oo.you": "You",
    "oo.noTime": "No regular time",
    "oo.timePaused": "Regular time paused",
    "oo.at": " at {time} ({zone})",
    "oo.weekly": "Weekly on {weekday}{at}",
    "oo.monthly": "Monthly{at}",
    "oo.quarterly": "Quarterly{at}",
    "oo.once": "Once",
    "oo.regular": "Regular time: {spec}",
    "oo.noneEmployee": "You have no one-on-ones yet. Your manager starts them; they then appear here.",
    "oo.none": "You have no one-on-ones yet.",
    "oo.mine": "My one-on-ones",
    "oo.zoneHint": "Times are in your time zone ({zone}).",
    "oo.with": "With",
    "oo.next": "Next meeting",
    "oo.regularTime": "Regular time",
    "oo.noneScheduled": "None scheduled",
    "oo.repeats": "Repeats",
    "oo.weeklyOption": "Weekly",
    "oo.day": "Day",
    "oo.timeIn": "Time ({zone})",
    "oo.start": "Start the 1:1",
    "oo.startTitle": "Start a 1:1",
    "oo.startHint": "With one of your direct reports. Only the two of you will see it.",
    "oo.withName": "1:1 with {name}",
    "oo.onlyYou": " \u00b7 only you and {name} can see this.",
    "oo.meetingsCaption": "Meetings, newest first. Times are in your time zone ({zone}).",
    "oo.when": "When",
    "oo.title": "Title",
    "oo.status": "Status",
    "oo.noMeetings": "No meetings yet. Schedule the first one below.",
    "oo.weeklyPlaceholder": "Weekly 1:1",
    "oo.schedule": "Schedule",
    "oo.whenIn": "When ({zone})",
    "oo.titleOptional": "Title (optional)",
    "oo.pickTime": "Pick a date and time.",
    "oo.pickTimeNoCadence": "Pick a date and time: this 1:1 has no regular time to take the next one from.",
    "oo.scheduledFor": "Scheduled for {when}. You both get a Slack reminder an hour before.",
    "oo.scheduleTitle": "Schedule a meeting",
    "oo.blankNext": "Leave the time blank to take the next regular time ({cadence}).",
    "oo.pickInZone": "Pick a date and time in your time zone.",
    "oo.meetingWith": "{title} with {name}",
    "oo.markHeld": "Mark held",
    "oo.markedHeld": "Marked held. Open action items move to the next meeting.",
    "oo.add": "Add",
    "oo.agenda": "Agenda",
    "oo.noAgenda": "Nothing on the agenda yet.",
    "oo.addTopic": "Add a topic",
    "oo.topicPlaceholder": "What do you want to talk about?",
    "oo.due": "due {day}",
    "oo.carried": "carried over",
    "oo.me": "Me",
    "oo.owner": "Owner",
    "oo.dueOptional": "Due (optional)",
    "oo.items": "Action items",
    "oo.noItems": "No action items on this meeting.",
    "oo.earlier": "Open from earlier",
    "oo.addItem": "Add an action item",
    "oo.itemPlaceholder": "What needs doing?",
    "oo.sharedWith": "Shared with {name}",
    "oo.private": "Private \u2014 only you can read this",
    "oo.notes": "Notes",
    "oo.noNotes": "No notes yet.",
    "oo.sealed": "This note is sealed and cannot be opened with the server's current key.",
    "oo.shared": "Shared",
    "oo.edited": " (edited)",
    "oo.edit": "Edit",
    "oo.delete": "Delete",
    "oo.deleteAsk": "Delete this note?",
    "oo.deleted": "Note deleted.",
    "oo.saved": "Note saved.",
    "oo.save": "Save",
    "oo.addNote": "Add note",
    "oo.editNote": "Edit note",
    "oo.writeNote": "Write a note",
    "oo.whoCanRead": "Who can read it",
    "oo.cancel": "Cancel",
    "oo.writeFirst": "Write something first.",
  },
  ms: {
    "oo.scheduled": "Dijadualkan",
    "oo.held": "Telah diadakan",
    "oo.cancelled": "Dibatalkan",
    "oo.notFound": "Sesi 1:1 ini tidak dijumpai. Hanya dua pesertanya boleh membukanya.",
    "oo.all": "Semua sesi 1:1 saya",
    "oo.yourReport": "orang bawahan anda",
    "oo.yourManager": "pengurus anda",
    "oo.you": "Anda",
    "oo.noTime": "Tiada waktu tetap",
    "oo.timePaused": "Waktu tetap dijeda",
    "oo.at": " jam {time} ({zone})",
    "oo.weekly": "Setiap minggu pada {weekday}{at}",
    "oo.monthly": "Setiap bulan{at}",
    "oo.quarterly": "Setiap suku tahun{at}",
    "oo.once": "Sekali",
    "oo.regular": "Waktu tetap: {spec}",
    "oo.noneEmployee": "Anda belum mempunyai sesi 1:1. Pengurus anda yang memulakannya; ia kemudian dipaparkan di sini.",
    "oo.none": "Anda belum mempunyai sesi 1:1.",
    "oo.mine": "Sesi 1:1 saya",
    "oo.zoneHint": "Masa dalam zon waktu anda ({zone}).",
    "oo.with": "Dengan",
    "oo.next": "Mesyuarat seterusnya",
    "oo.regularTime": "Waktu tetap",
    "oo.noneScheduled": "Tiada yang dijadualkan",
    "oo.repeats": "Berulang",
    "oo.weeklyOption": "Setiap minggu",
    "oo.day": "Hari",
    "oo.timeIn": "Masa ({zone})",
    "oo.start": "Mulakan sesi 1:1",
    "oo.startTitle": "Mulakan sesi 1:1",
    "oo.startHint": "Dengan salah seorang orang bawahan langsung anda. Hanya anda berdua akan melihatnya.",
    "oo.withName": "Sesi 1:1 dengan {name}",
    "oo.onlyYou": " \u00b7 hanya anda dan {name} boleh melihat ini.",
    "oo.meetingsCaption": "Mesyuarat, terbaharu dahulu. Masa dalam zon waktu anda ({zone}).",
    "oo.when": "Bila",
    "oo.title": "Tajuk",
    "oo.status": "Status",
    "oo.noMeetings": "Belum ada mesyuarat. Jadualkan yang pertama di bawah.",
    "oo.weeklyPlaceholder": "Sesi 1:1 mingguan",
    "oo.schedule": "Jadualkan",
    "oo.whenIn": "Bila ({zone})",
    "oo.titleOptional": "Tajuk (pilihan)",
    "oo.pickTime": "Pilih tarikh dan masa.",
    "oo.pickTimeNoCadence": "Pilih tarikh dan masa: sesi 1:1 ini tiada waktu tetap untuk mengambil yang seterusnya.",
    "oo.scheduledFor": "Dijadualkan pada {when}. Anda berdua menerima peringatan Slack sejam sebelumnya.",
    "oo.scheduleTitle": "Jadualkan mesyuarat",
    "oo.blankNext": "Biarkan masa kosong untuk mengambil waktu tetap seterusnya ({cadence}).",
    "oo.pickInZone": "Pilih tarikh dan masa dalam zon waktu anda.",
    "oo.meetingWith": "{title} dengan {name}",
    "oo.markHeld": "Tanda telah diadakan",
    "oo.markedHeld": "Ditanda telah diadakan. Item tindakan yang terbuka dibawa ke mesyuarat seterusnya.",
    "oo.add": "Tambah",
    "oo.agenda": "Agenda",
    "oo.noAgenda": "Belum ada apa-apa dalam agenda.",
    "oo.addTopic": "Tambah topik",
    "oo.topicPlaceholder": "Apa yang anda mahu bincangkan?",
    "oo.due": "tarikh akhir {day}",
    "oo.carried": "dibawa ke hadapan",
    "oo.me": "Saya",
    "oo.owner": "Pemilik",
    "oo.dueOptional": "Tarikh akhir (pilihan)",
    "oo.items": "Item tindakan",
    "oo.noItems": "Tiada item tindakan untuk mesyuarat ini.",
    "oo.earlier": "Masih terbuka dari sebelumnya",
    "oo.addItem": "Tambah item tindakan",
    "oo.itemPlaceholder": "Apa yang perlu dilakukan?",
    "oo.sharedWith": "Dikongsi dengan {name}",
    "oo.private": "Peribadi \u2014 hanya anda boleh membaca ini",
    "oo.notes": "Nota",
    "oo.noNotes": "Belum ada nota.",
    "oo.sealed": "Nota ini dimeterai dan tidak boleh dibuka dengan kunci semasa pelayan.",
    "oo.shared": "Dikongsi",
    "oo.edited": " (disunting)",
    "oo.edit": "Sunting",
    "oo.delete": "Padam",
    "oo.deleteAsk": "Padam nota ini?",
    "oo.deleted": "Nota dipadam.",
    "oo.saved": "Nota disimpan.",
    "oo.save": "Simpan",
    "oo.addNote": "Tambah nota",
    "oo.editNote": "Sunting nota",
    "oo.writeNote": "Tulis nota",
    "oo.whoCanRead": "Siapa boleh membacanya",
    "oo.cancel": "Batal",
    "oo.writeFirst": "Tulis sesuatu dahulu.",
  },
});

const weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const statusKeys = { scheduled: "oo.scheduled", completed: "oo.held", cancelled: "oo.cancelled" };

let ctx;
let page = 0; // the page being drawn; an older one that finishes late is dropped

const body = () => $("one-on-ones-body");
const alert = () => $("one-on-ones-error");

// initOneOnOnes opens the page the address names.
export async function initOneOnOnes(context, sub, focus) {
  ctx = context;
  await showOneOnOnes(sub, focus);
}

// showOneOnOnes draws the page for the part of the address after "#one-on-ones/".
export async function showOneOnOnes(sub, focus) {
  const mine = ++page;
  say(alert(), "");
  say($("one-on-ones-status"), "");
  const parts = (sub || "").split("/").filter(Boolean);
  body().setAttribute("aria-busy", "true");
  try {
    let nodes;
    if (parts.length === 0) nodes = await listPage();
    else if (parts[0] === "meetings" && /^\d+$/.test(parts[1] || "")) nodes = await meetingPage(Number(parts[1]));
    else if (/^\d+$/.test(parts[0])) nodes = await seriesPage(Number(parts[0]));
    else nodes = await listPage();
    if (mine !== page) return;
    fill(body(), nodes);
    const heading = body().querySelector("h3");
    if (focus && heading && parts.length) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  } catch (err) {
    if (mine !== page) return;
    fill(body(), parts.length ? backLink("#one-on-ones", t("oo.all")) : null);
    say(alert(), err.status === 404 ? t("oo.notFound") : err.message);
  } finally {
    if (mine === page) body().removeAttribute("aria-busy");
  }
}

// redraw draws the current page again after a change.
function redraw(message) {
  return showOneOnOnes(location.hash.slice(1).split("/").slice(1).join("/"), false).then(() => {
    if (message) say($("one-on-ones-status"), message);
  });
}

function backLink(href, text) {
  return el("p", { class: "crumbs" }, el("a", { href }, "\u2190 " + text));
}

function other(series) {
  return series.manager_id === ctx.me.id
    ? { id: series.report_id, name: series.report_name, role: t("oo.yourReport") }
    : { id: series.manager_id, name: series.manager_name, role: t("oo.yourManager") };
}

function personName(series, id) {
  if (id === ctx.me.id) return t("oo.you");
  return id === series.manager_id ? series.manager_name : series.report_name;
}

function cadenceText(c) {
  if (!c || !c.kind) return t("oo.noTime");
  if (c.paused) return t("oo.timePaused");
  const wd = c.weekday ? weekdayName(c.weekday) : "";
  const at = c.time ? t("oo.at", { time: c.time, zone: c.timezone }) : "";
  switch (c.kind) {
    case "weekly":
      return t("oo.weekly", { weekday: wd, at });
    case "monthly":
      return t("oo.monthly", { at });
    case "quarterly":
      return t("oo.quarterly", { at });
    case "once":
      return t("oo.once");
    default:
      return t("oo.regular", { spec: c.spec || c.kind });
  }
}

function statusBadge(status) {
  const kind = status === "completed" ? " done" : status === "scheduled" ? " open" : "";
  return el("span", { class: "badge" + kind }, statusKeys[status] ? t(statusKeys[status]) : status);
}

// ---- My series --------------------------------------------------------------

async function listPage() {
  const series = await apiAll("/one-on-ones");
  const nodes = [];
  if (ctx.me.role !== "employee") {
    const start = await startCard(series);
    if (start) nodes.push(start);
  }
  if (!series.length) {
    nodes.push(el("p", { class: "card muted" },
      ctx.me.role === "employee" ? t("oo.noneEmployee") : t("oo.none")));
    return nodes;
  }
  const sorted = [...series].sort((a, b) => nextTime(a) - nextTime(b));
  nodes.unshift(el("div", { class: "card" },
    el("h3", {}, t("oo.mine")),
    el("p", { class: "hint" }, t("oo.zoneHint", { zone: browserZone() })),
    el("div", { class: "table-wrap" },
      el("table", { class: "stack-narrow" },
        el("thead", {}, el("tr", {},
          el("th", { scope: "col" }, t("oo.with")),
          el("th", { scope: "col" }, t("oo.next")),
          el("th", { scope: "col" }, t("oo.regularTime")))),
        el("tbody", {}, sorted.map((s) => {
          const o = other(s);
          return el("tr", {},
            el("th", { scope: "row" }, el("a", { href: "#one-on-ones/" + s.id }, o.name),
              el("span", { class: "badge" }, o.role)),
            el("td", { "data-label": t("oo.next") }, s.next_meeting
              ? el("a", { href: "#one-on-ones/meetings/" + s.next_meeting.id }, dateTime(s.next_meeting.scheduled_at))
              : el("span", { class: "muted" }, t("oo.noneScheduled"))),
            el("td", { "data-label": t("oo.regularTime") }, cadenceText(s.cadence)));
        }))))));
  return nodes;
}

function nextTime(s) {
  return s.next_meeting ? Date.parse(s.next_meeting.scheduled_at) : Infinity;
}

// startCard lets a manager start a series with a direct report who has none.
async function startCard(series) {
  const people = await apiAll("/employees?active=true");
  const reports = people.filter((p) => p.manager_id === ctx.me.id);
  if (!reports.length) return null;
  const taken = new Set(series.filter((s) => s.manager_id === ctx.me.id).map((s) => s.report_id));
  const open = reports.filter((p) => !taken.has(p.id)).sort((a, b) => a.name.localeCompare(b.name));
  if (!open.length) return null;

  const ids = { who: uid("oo-who"), repeat: uid("oo-repeat"), weekday: uid("oo-weekday"), time: uid("oo-time") };
  const who = el("select", { id: ids.who, required: true }, open.map((p) => el("option", { value: p.id }, p.name)));
  const repeat = el("select", { id: ids.repeat },
    el("option", { value: "" }, t("oo.noTime")),
    el("option", { value: "weekly", selected: true }, t("oo.weeklyOption")));
  const weekday = el("select", { id: ids.weekday }, weekdays.map((d) =>
    el("option", { value: d, selected: d === "tuesday" }, weekdayName(d))));
  const time = el("input", { id: ids.time, type: "time", value: "10:00" });
  const zone = ctx.me.timezone || browserZone();
  const when = el("div", { class: "field-group" },
    el("div", { class: "field" }, el("label", { for: ids.weekday }, t("oo.day")), weekday),
    el("div", { class: "field" }, el("label", { for: ids.time }, t("oo.timeIn", { zone })), time));
  repeat.addEventListener("change", () => { when.hidden = !repeat.value; });
  const error = el("p", { class: "error", role: "alert" });
  const button = el("button", {}, t("oo.start"));
  const form = el("form", { class: "filters" },
    el("div", { class: "field" }, el("label", { for: ids.who }, t("oo.with")), who),
    el("div", { class: "field" }, el("label", { for: ids.repeat }, t("oo.repeats")), repeat),
    when,
    el("div", { class: "field" }, button));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    say(error, "");
    const input = { report_id: Number(who.value) };
    if (repeat.value) input.cadence = { kind: repeat.value, weekday: weekday.value, time: time.value, timezone: zone, paused: false };
    busy(button, async () => {
      try {
        const created = await api("/one-on-ones", { method: "POST", body: input });
        location.hash = "#one-on-ones/" + created.id;
      } catch (err) {
        say(error, err.message);
      }
    });
  });
  return el("div", { class: "card" },
    el("h3", {}, t("oo.startTitle")),
    el("p", { class: "hint" }, t("oo.startHint")),
    form, error);
}

// ---- A series ---------------------------------------------------------------

async function seriesPage(id) {
  const s = await api("/one-on-ones/" + id);
  const o = other(s);
  const meetings = [...(s.meetings || [])].sort((a, b) => Date.parse(b.scheduled_at) - Date.parse(a.scheduled_at));
  return [
    backLink("#one-on-ones", t("oo.all")),
    el("div", { class: "card" },
      el("h3", {}, t("oo.withName", { name: o.name })),
      el("p", { class: "meta" }, cadenceText(s.cadence), t("oo.onlyYou", { name: o.name })),
      meetings.length
        ? el("div", { class: "table-wrap" },
          el("table", { class: "stack-narrow" },
            el("caption", { class: "hint" }, t("oo.meetingsCaption", { zone: browserZone() })),
            el("thead", {}, el("tr", {},
              el("th", { scope: "col" }, t("oo.when")), el("th", { scope: "col" }, t("oo.title")), el("th", { scope: "col" }, t("oo.status")))),
            el("tbody", {}, meetings.map((m) => el("tr", {},
              el("th", { scope: "row" }, el("a", { href: "#one-on-ones/meetings/" + m.id }, shortDateTime(m.scheduled_at))),
              el("td", { "data-label": t("oo.title") }, m.title || "—"),
              el("td", { "data-label": t("oo.status") }, statusBadge(m.status)))))))
        : el("p", { class: "muted" }, t("oo.noMeetings"))),
    scheduleCard(s),
  ];
}

function scheduleCard(s) {
  const ids = { at: uid("oo-at"), title: uid("oo-title"), hint: uid("oo-hint") };
  const at = el("input", { id: ids.at, type: "datetime-local", "aria-describedby": ids.hint });
  const title = el("input", { id: ids.title, type: "text", maxlength: 200, placeholder: t("oo.weeklyPlaceholder") });
  const error = el("p", { class: "error", role: "alert" });
  const button = el("button", {}, t("oo.schedule"));
  const hasCadence = s.cadence && s.cadence.kind && !s.cadence.paused;
  const form = el("form", { class: "filters" },
    el("div", { class: "field" }, el("label", { for: ids.at }, t("oo.whenIn", { zone: browserZone() })), at),
    el("div", { class: "field" }, el("label", { for: ids.title }, t("oo.titleOptional")), title),
    el("div", { class: "field" }, button));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    say(error, "");
    const input = {};
    if (at.value) {
      const when = new Date(at.value); // a datetime-local value reads as the browser's local time
      if (Number.isNaN(when.getTime())) {
        say(error, t("oo.pickTime"));
        return;
      }
      input.scheduled_at = when.toISOString();
    } else if (!hasCadence) {
      say(error, t("oo.pickTimeNoCadence"));
      at.focus();
      return;
    }
    if (title.value.trim()) input.title = title.value.trim();
    busy(button, async () => {
      try {
        const m = await api("/one-on-ones/" + s.id + "/meetings", { method: "POST", body: input });
        await redraw(t("oo.scheduledFor", { when: dateTime(m.scheduled_at) }));
      } catch (err) {
        say(error, err.message);
      }
    });
  });
  return el("div", { class: "card" },
    el("h3", {}, t("oo.scheduleTitle")),
    form,
    el("p", { class: "hint", id: ids.hint }, hasCadence
      ? t("oo.blankNext", { cadence: cadenceText(s.cadence) })
      : t("oo.pickInZone")),
    error);
}

// ---- A meeting --------------------------------------------------------------

async function meetingPage(id) {
  const m = await api("/one-on-ones/meetings/" + id);
  const s = await api("/one-on-ones/" + m.series_id);
  const o = other(s);
  const held = m.status === "completed";
  const error = el("p", { class: "error", role: "alert" });
  const head = el("div", { class: "card" },
    el("div", { class: "detail-head" },
      el("h3", {}, t("oo.meetingWith", { title: m.title || "1:1", name: o.name })),
      statusBadge(m.status)),
    el("p", { class: "meta" }, dateTime(m.scheduled_at)),
    m.status === "scheduled"
      ? el("div", { class: "row" }, action(t("oo.markHeld"), () =>
        api("/one-on-ones/meetings/" + m.id + "/complete", { method: "POST" })
          .then(() => redraw(t("oo.markedHeld"))), error))
      : null,
    error);
  return [
    backLink("#one-on-ones/" + s.id, t("oo.withName", { name: o.name })),
    head,
    el("div", { class: "pair" },
      agendaCard(m),
      itemsCard(m, s, o, held)),
    notesCard(m, s, o),
  ];
}

// action is a button that runs work and puts a failure in error.
function action(text, work, error, attrs) {
  const button = el("button", { type: "button", ...attrs }, text);
  button.addEventListener("click", () => {
    say(error, "");
    busy(button, () => work().catch((err) => say(error, err.message)));
  });
  return button;
}

function checkbox(label, checked, onChange, error) {
  const box = el("input", { type: "checkbox", checked });
  box.addEventListener("change", () => {
    say(error, "");
    box.disabled = true;
    onChange(box.checked).catch((err) => {
      box.checked = !box.checked;
      say(error, err.message);
    }).finally(() => { box.disabled = false; });
  });
  return el("label", { class: "check" }, box, label);
}

function addForm(labelText, placeholder, submit, extra) {
  const id = uid("oo-add");
  const input = el("input", { id, type: "text", required: true, maxlength: 500, placeholder });
  const button = el("button", {}, t("oo.add"));
  const error = el("p", { class: "error", role: "alert" });
  const form = el("form", { class: "add-form" },
    el("label", { for: id }, labelText),
    el("div", { class: "row" }, input, extra ? extra.nodes : null, button),
    error);
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    say(error, "");
    const text = input.value.trim();
    if (!text) return;
    busy(button, async () => {
      try {
        await submit(text, extra ? extra.values() : {});
        await redraw();
      } catch (err) {
        say(error, err.message);
      }
    });
  });
  return form;
}

function agendaCard(m) {
  const error = el("p", { class: "error", role: "alert" });
  return el("div", { class: "card" },
    el("h3", {}, t("oo.agenda")),
    m.agenda.length
      ? el("ul", { class: "checklist" }, m.agenda.map((a) => el("li", { class: a.done ? "done" : "" },
        checkbox(el("span", { class: "item-text" }, a.text), a.done, (done) => api("/one-on-ones/agenda/" + a.id, { method: "PATCH", body: { done } }).then(() => redraw()), error))))
      : el("p", { class: "muted" }, t("oo.noAgenda")),
    error,
    addForm(t("oo.addTopic"), t("oo.topicPlaceholder"), (text) =>
      api("/one-on-ones/meetings/" + m.id + "/agenda", { method: "POST", body: { text } })));
}

function itemLine(item, s, error) {
  const meta = [personName(s, item.owner_id)];
  if (item.due_on) meta.push(t("oo.due", { day: day(item.due_on) }));
  return el("li", { class: item.done ? "done" : "" },
    checkbox(el("span", {}, el("span", { class: "item-text" }, item.text),
      item.carried_over ? el("span", { class: "badge" }, t("oo.carried")) : null,
      el("span", { class: "meta block" }, meta.join(" \u00b7 "))),
    item.done, (done) => api("/one-on-ones/action-items/" + item.id, { method: "PATCH", body: { done } }).then(() => redraw()), error));
}

function itemsCard(m, s, o) {
  const error = el("p", { class: "error", role: "alert" });
  const ids = { owner: uid("oo-owner"), due: uid("oo-due") };
  const owner = el("select", { id: ids.owner },
    el("option", { value: ctx.me.id }, t("oo.me")),
    el("option", { value: o.id }, o.name));
  const due = el("input", { id: ids.due, type: "date" });
  const fields = el("div", { class: "field-group" },
    el("div", { class: "field" }, el("label", { for: ids.owner, class: "small" }, t("oo.owner")), owner),
    el("div", { class: "field" }, el("label", { for: ids.due, class: "small" }, t("oo.dueOptional")), due));
  return el("div", { class: "card" },
    el("h3", {}, t("oo.items")),
    m.action_items.length
      ? el("ul", { class: "checklist" }, m.action_items.map((i) => itemLine(i, s, error)))
      : el("p", { class: "muted" }, t("oo.noItems")),
    m.open_from_earlier && m.open_from_earlier.length
      ? [el("h4", { class: "sub" }, t("oo.earlier")),
        el("ul", { class: "checklist" }, m.open_from_earlier.map((i) => itemLine(i, s, error)))]
      : null,
    error,
    addForm(t("oo.addItem"), t("oo.itemPlaceholder"), (text, v) => {
      const input = { text, owner_id: Number(v.owner) };
      if (v.due) input.due_on = v.due;
      return api("/one-on-ones/meetings/" + m.id + "/action-items", { method: "POST", body: input });
    }, { nodes: fields, values: () => ({ owner: owner.value, due: due.value }) }));
}

function visibilityLabel(visibility, o) {
  return visibility === "shared" ? t("oo.sharedWith", { name: o.name }) : t("oo.private");
}

function notesCard(m, s, o) {
  const error = el("p", { class: "error", role: "alert" });
  const notes = [...m.notes].sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
  return el("div", { class: "card" },
    el("h3", {}, t("oo.notes")),
    notes.length
      ? el("ul", { class: "notes" }, notes.map((n) => noteItem(n, s, o, error)))
      : el("p", { class: "muted" }, t("oo.noNotes")),
    error,
    noteForm(o, null, async (input) => {
      await api("/one-on-ones/meetings/" + m.id + "/notes", { method: "POST", body: input });
      await redraw();
    }));
}

function noteItem(n, s, o, error) {
  const mine = n.author_id === ctx.me.id;
  const li = el("li", { class: "note " + n.visibility });
  const view = () => fill(li,
    n.locked
      ? el("p", { class: "muted" }, t("oo.sealed"))
      : el("p", { class: "comment-text" }, n.body),
    el("p", { class: "meta" },
      mine ? t("oo.you") : personName(s, n.author_id), " \u00b7 ",
      mine ? visibilityLabel(n.visibility, o) : t("oo.shared"), " \u00b7 ", shortDateTime(n.created_at),
      Date.parse(n.updated_at) - Date.parse(n.created_at) > 1000 ? t("oo.edited") : ""),
    mine ? el("div", { class: "row" },
      el("button", { type: "button", class: "quiet", onclick: edit }, t("oo.edit")),
      action(t("oo.delete"), async () => {
        if (!window.confirm(t("oo.deleteAsk"))) return;
        await api("/one-on-ones/notes/" + n.id, { method: "DELETE" });
        await redraw(t("oo.deleted"));
      }, error, { class: "quiet" })) : null);
  const edit = () => {
    fill(li, noteForm(o, n, async (input) => {
      await api("/one-on-ones/notes/" + n.id, { method: "PATCH", body: input });
      await redraw(t("oo.saved"));
    }, view));
    li.querySelector("textarea").focus();
  };
  view();
  return li;
}

// noteForm writes a new note (note null) or changes one. Private is the default.
function noteForm(o, note, save, cancel) {
  const ids = { body: uid("oo-note"), vis: uid("oo-vis") };
  const text = el("textarea", { id: ids.body, rows: 3, required: true, maxlength: 20000 });
  text.value = note ? note.body : "";
  const visibility = note ? note.visibility : "private";
  const radios = ["private", "shared"].map((v) => el("label", { class: "check" },
    el("input", { type: "radio", name: ids.vis, value: v, checked: v === visibility }),
    visibilityLabel(v, o)));
  const button = el("button", {}, note ? t("oo.save") : t("oo.addNote"));
  const error = el("p", { class: "error", role: "alert" });
  const form = el("form", { class: "note-form" },
    el("label", { for: ids.body }, note ? t("oo.editNote") : t("oo.writeNote")),
    text,
    el("fieldset", { class: "plain" }, el("legend", { class: "sr-only" }, t("oo.whoCanRead")), radios),
    el("div", { class: "row" }, button,
      cancel ? el("button", { type: "button", class: "quiet", onclick: cancel }, t("oo.cancel")) : null),
    error);
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    say(error, "");
    const bodyText = text.value.trim();
    if (!bodyText) {
      say(error, t("oo.writeFirst"));
      return;
    }
    const vis = form.querySelector("input[type=radio]:checked").value;
    busy(button, () => save({ body: bodyText, visibility: vis }).catch((err) => say(error, err.message)));
  });
  return form;
}
