// One-on-ones: the series I take part in, a series' meetings, and a
// meeting's agenda, notes and action items. Only the two participants can
// see any of it (the API answers 404 to everyone else, HR included).
//
// Pages follow the address: #one-on-ones (my series), #one-on-ones/{series}
// (the link in the Slack reminder) and #one-on-ones/meetings/{meeting}.

import { api, apiAll } from "./api.js";
import { $, busy, el, fill, say, uid } from "./dom.js";
import { browserZone, dateTime, day, shortDateTime } from "./format.js";

const weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const statusNames = { scheduled: "Scheduled", completed: "Held", cancelled: "Cancelled" };

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
    fill(body(), parts.length ? backLink("#one-on-ones", "All my one-on-ones") : null);
    say(alert(), err.status === 404
      ? "This one-on-one could not be found. Only its two participants can open it."
      : err.message);
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
    ? { id: series.report_id, name: series.report_name, role: "your report" }
    : { id: series.manager_id, name: series.manager_name, role: "your manager" };
}

function personName(series, id) {
  if (id === ctx.me.id) return "You";
  return id === series.manager_id ? series.manager_name : series.report_name;
}

function cadenceText(c) {
  if (!c || !c.kind) return "No regular time";
  if (c.paused) return "Regular time paused";
  const wd = c.weekday ? c.weekday.charAt(0).toUpperCase() + c.weekday.slice(1) : "";
  const at = c.time ? " at " + c.time + " (" + c.timezone + ")" : "";
  switch (c.kind) {
    case "weekly":
      return "Weekly on " + wd + at;
    case "monthly":
      return "Monthly" + at;
    case "quarterly":
      return "Quarterly" + at;
    case "once":
      return "Once";
    default:
      return "Regular time: " + (c.spec || c.kind);
  }
}

function statusBadge(status) {
  const kind = status === "completed" ? " done" : status === "scheduled" ? " open" : "";
  return el("span", { class: "badge" + kind }, statusNames[status] || status);
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
      ctx.me.role === "employee"
        ? "You have no one-on-ones yet. Your manager starts them; they then appear here."
        : "You have no one-on-ones yet."));
    return nodes;
  }
  const sorted = [...series].sort((a, b) => nextTime(a) - nextTime(b));
  nodes.unshift(el("div", { class: "card" },
    el("h3", {}, "My one-on-ones"),
    el("p", { class: "hint" }, "Times are in your time zone (", browserZone(), ")."),
    el("div", { class: "table-wrap" },
      el("table", { class: "stack-narrow" },
        el("thead", {}, el("tr", {},
          el("th", { scope: "col" }, "With"),
          el("th", { scope: "col" }, "Next meeting"),
          el("th", { scope: "col" }, "Regular time"))),
        el("tbody", {}, sorted.map((s) => {
          const o = other(s);
          return el("tr", {},
            el("th", { scope: "row" }, el("a", { href: "#one-on-ones/" + s.id }, o.name),
              el("span", { class: "badge" }, o.role)),
            el("td", { "data-label": "Next meeting" }, s.next_meeting
              ? el("a", { href: "#one-on-ones/meetings/" + s.next_meeting.id }, dateTime(s.next_meeting.scheduled_at))
              : el("span", { class: "muted" }, "None scheduled")),
            el("td", { "data-label": "Regular time" }, cadenceText(s.cadence)));
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
    el("option", { value: "" }, "No regular time"),
    el("option", { value: "weekly", selected: true }, "Weekly"));
  const weekday = el("select", { id: ids.weekday }, weekdays.map((d) =>
    el("option", { value: d, selected: d === "tuesday" }, d.charAt(0).toUpperCase() + d.slice(1))));
  const time = el("input", { id: ids.time, type: "time", value: "10:00" });
  const zone = ctx.me.timezone || browserZone();
  const when = el("div", { class: "field-group" },
    el("div", { class: "field" }, el("label", { for: ids.weekday }, "Day"), weekday),
    el("div", { class: "field" }, el("label", { for: ids.time }, "Time (" + zone + ")"), time));
  repeat.addEventListener("change", () => { when.hidden = !repeat.value; });
  const error = el("p", { class: "error", role: "alert" });
  const button = el("button", {}, "Start the 1:1");
  const form = el("form", { class: "filters" },
    el("div", { class: "field" }, el("label", { for: ids.who }, "With"), who),
    el("div", { class: "field" }, el("label", { for: ids.repeat }, "Repeats"), repeat),
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
    el("h3", {}, "Start a 1:1"),
    el("p", { class: "hint" }, "With one of your direct reports. Only the two of you will see it."),
    form, error);
}

// ---- A series ---------------------------------------------------------------

async function seriesPage(id) {
  const s = await api("/one-on-ones/" + id);
  const o = other(s);
  const meetings = [...(s.meetings || [])].sort((a, b) => Date.parse(b.scheduled_at) - Date.parse(a.scheduled_at));
  return [
    backLink("#one-on-ones", "All my one-on-ones"),
    el("div", { class: "card" },
      el("h3", {}, "1:1 with " + o.name),
      el("p", { class: "meta" }, cadenceText(s.cadence), " \u00b7 only you and ", o.name, " can see this."),
      meetings.length
        ? el("div", { class: "table-wrap" },
          el("table", { class: "stack-narrow" },
            el("caption", { class: "hint" }, "Meetings, newest first. Times are in your time zone (" + browserZone() + ")."),
            el("thead", {}, el("tr", {},
              el("th", { scope: "col" }, "When"), el("th", { scope: "col" }, "Title"), el("th", { scope: "col" }, "Status"))),
            el("tbody", {}, meetings.map((m) => el("tr", {},
              el("th", { scope: "row" }, el("a", { href: "#one-on-ones/meetings/" + m.id }, shortDateTime(m.scheduled_at))),
              el("td", { "data-label": "Title" }, m.title || "—"),
              el("td", { "data-label": "Status" }, statusBadge(m.status)))))))
        : el("p", { class: "muted" }, "No meetings yet. Schedule the first one below.")),
    scheduleCard(s),
  ];
}

function scheduleCard(s) {
  const ids = { at: uid("oo-at"), title: uid("oo-title"), hint: uid("oo-hint") };
  const at = el("input", { id: ids.at, type: "datetime-local", "aria-describedby": ids.hint });
  const title = el("input", { id: ids.title, type: "text", maxlength: 200, placeholder: "Weekly 1:1" });
  const error = el("p", { class: "error", role: "alert" });
  const button = el("button", {}, "Schedule");
  const hasCadence = s.cadence && s.cadence.kind && !s.cadence.paused;
  const form = el("form", { class: "filters" },
    el("div", { class: "field" }, el("label", { for: ids.at }, "When (" + browserZone() + ")"), at),
    el("div", { class: "field" }, el("label", { for: ids.title }, "Title (optional)"), title),
    el("div", { class: "field" }, button));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    say(error, "");
    const input = {};
    if (at.value) {
      const when = new Date(at.value); // a datetime-local value reads as the browser's local time
      if (Number.isNaN(when.getTime())) {
        say(error, "Pick a date and time.");
        return;
      }
      input.scheduled_at = when.toISOString();
    } else if (!hasCadence) {
      say(error, "Pick a date and time: this 1:1 has no regular time to take the next one from.");
      at.focus();
      return;
    }
    if (title.value.trim()) input.title = title.value.trim();
    busy(button, async () => {
      try {
        const m = await api("/one-on-ones/" + s.id + "/meetings", { method: "POST", body: input });
        await redraw("Scheduled for " + dateTime(m.scheduled_at) + ". You both get a Slack reminder an hour before.");
      } catch (err) {
        say(error, err.message);
      }
    });
  });
  return el("div", { class: "card" },
    el("h3", {}, "Schedule a meeting"),
    form,
    el("p", { class: "hint", id: ids.hint }, hasCadence
      ? "Leave the time blank to take the next regular time (" + cadenceText(s.cadence) + ")."
      : "Pick a date and time in your time zone."),
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
      el("h3", {}, (m.title || "1:1") + " with " + o.name),
      statusBadge(m.status)),
    el("p", { class: "meta" }, dateTime(m.scheduled_at)),
    m.status === "scheduled"
      ? el("div", { class: "row" }, action("Mark held", () =>
        api("/one-on-ones/meetings/" + m.id + "/complete", { method: "POST" })
          .then(() => redraw("Marked held. Open action items move to the next meeting.")), error))
      : null,
    error);
  return [
    backLink("#one-on-ones/" + s.id, "1:1 with " + o.name),
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
  const button = el("button", {}, "Add");
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
    el("h3", {}, "Agenda"),
    m.agenda.length
      ? el("ul", { class: "checklist" }, m.agenda.map((a) => el("li", { class: a.done ? "done" : "" },
        checkbox(el("span", { class: "item-text" }, a.text), a.done, (done) => api("/one-on-ones/agenda/" + a.id, { method: "PATCH", body: { done } }).then(() => redraw()), error))))
      : el("p", { class: "muted" }, "Nothing on the agenda yet."),
    error,
    addForm("Add a topic", "What do you want to talk about?", (text) =>
      api("/one-on-ones/meetings/" + m.id + "/agenda", { method: "POST", body: { text } })));
}

function itemLine(item, s, error) {
  const meta = [personName(s, item.owner_id)];
  if (item.due_on) meta.push("due " + day(item.due_on));
  return el("li", { class: item.done ? "done" : "" },
    checkbox(el("span", {}, el("span", { class: "item-text" }, item.text),
      item.carried_over ? el("span", { class: "badge" }, "carried over") : null,
      el("span", { class: "meta block" }, meta.join(" \u00b7 "))),
    item.done, (done) => api("/one-on-ones/action-items/" + item.id, { method: "PATCH", body: { done } }).then(() => redraw()), error));
}

function itemsCard(m, s, o) {
  const error = el("p", { class: "error", role: "alert" });
  const ids = { owner: uid("oo-owner"), due: uid("oo-due") };
  const owner = el("select", { id: ids.owner },
    el("option", { value: ctx.me.id }, "Me"),
    el("option", { value: o.id }, o.name));
  const due = el("input", { id: ids.due, type: "date" });
  const fields = el("div", { class: "field-group" },
    el("div", { class: "field" }, el("label", { for: ids.owner, class: "small" }, "Owner"), owner),
    el("div", { class: "field" }, el("label", { for: ids.due, class: "small" }, "Due (optional)"), due));
  return el("div", { class: "card" },
    el("h3", {}, "Action items"),
    m.action_items.length
      ? el("ul", { class: "checklist" }, m.action_items.map((i) => itemLine(i, s, error)))
      : el("p", { class: "muted" }, "No action items on this meeting."),
    m.open_from_earlier && m.open_from_earlier.length
      ? [el("h4", { class: "sub" }, "Open from earlier"),
        el("ul", { class: "checklist" }, m.open_from_earlier.map((i) => itemLine(i, s, error)))]
      : null,
    error,
    addForm("Add an action item", "What needs doing?", (text, v) => {
      const input = { text, owner_id: Number(v.owner) };
      if (v.due) input.due_on = v.due;
      return api("/one-on-ones/meetings/" + m.id + "/action-items", { method: "POST", body: input });
    }, { nodes: fields, values: () => ({ owner: owner.value, due: due.value }) }));
}

function visibilityLabel(visibility, o) {
  return visibility === "shared" ? "Shared with " + o.name : "Private \u2014 only you can read this";
}

function notesCard(m, s, o) {
  const error = el("p", { class: "error", role: "alert" });
  const notes = [...m.notes].sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
  return el("div", { class: "card" },
    el("h3", {}, "Notes"),
    notes.length
      ? el("ul", { class: "notes" }, notes.map((n) => noteItem(n, s, o, error)))
      : el("p", { class: "muted" }, "No notes yet."),
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
      ? el("p", { class: "muted" }, "This note is sealed and cannot be opened with the server's current key.")
      : el("p", { class: "comment-text" }, n.body),
    el("p", { class: "meta" },
      mine ? "You" : personName(s, n.author_id), " \u00b7 ",
      mine ? visibilityLabel(n.visibility, o) : "Shared", " \u00b7 ", shortDateTime(n.created_at),
      Date.parse(n.updated_at) - Date.parse(n.created_at) > 1000 ? " (edited)" : ""),
    mine ? el("div", { class: "row" },
      el("button", { type: "button", class: "quiet", onclick: edit }, "Edit"),
      action("Delete", async () => {
        if (!window.confirm("Delete this note?")) return;
        await api("/one-on-ones/notes/" + n.id, { method: "DELETE" });
        await redraw("Note deleted.");
      }, error, { class: "quiet" })) : null);
  const edit = () => {
    fill(li, noteForm(o, n, async (input) => {
      await api("/one-on-ones/notes/" + n.id, { method: "PATCH", body: input });
      await redraw("Note saved.");
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
  const button = el("button", {}, note ? "Save" : "Add note");
  const error = el("p", { class: "error", role: "alert" });
  const form = el("form", { class: "note-form" },
    el("label", { for: ids.body }, note ? "Edit note" : "Write a note"),
    text,
    el("fieldset", { class: "plain" }, el("legend", { class: "sr-only" }, "Who can read it"), radios),
    el("div", { class: "row" }, button,
      cancel ? el("button", { type: "button", class: "quiet", onclick: cancel }, "Cancel") : null),
    error);
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    say(error, "");
    const bodyText = text.value.trim();
    if (!bodyText) {
      say(error, "Write something first.");
      return;
    }
    const vis = form.querySelector("input[type=radio]:checked").value;
    busy(button, () => save({ body: bodyText, visibility: vis }).catch((err) => say(error, err.message)));
  });
  return form;
}
