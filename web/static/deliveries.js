// Each recipient's survey DM of a round, for HR: scheduled (before their
// own send time), pending, sent, failed or not sent, with the time it is
// due on their clock and why it failed. It never says who answered: the
// API's list is read from the DM's delivery alone, which no answer or
// reminder changes.

import { apiPage, query } from "./api.js";
import { el, fill, uid } from "./dom.js";
import { dateTimeIn } from "./format.js";
import { strings } from "./i18n.js";
import { field, select } from "./fields.js";

const t = strings({
  en: {
    "deliveries.title": "Each person's survey message",
    "deliveries.show": "Show each person",
    "deliveries.intro": "Whether each person's survey DM went out, never whether they answered.",
    "deliveries.filter": "Show",
    "deliveries.all": "Everyone",
    "deliveries.scheduled": "Scheduled",
    "deliveries.pending": "Pending",
    "deliveries.sent": "Sent",
    "deliveries.failed": "Failed",
    "deliveries.not_sent": "Not sent",
    "deliveries.name": "Name",
    "deliveries.status": "Status",
    "deliveries.due": "Due, their time",
    "deliveries.reason": "Why",
    "deliveries.none": "Nobody in this status.",
    "deliveries.more": "Show more people",
    "deliveries.retrying": "Retrying after an interruption",
    "deliveries.why.deactivated": "The person was deactivated",
    "deliveries.why.closed": "The round closed before it could be delivered",
    "deliveries.why.slackOff": "Slack is not configured",
    "deliveries.why.user_not_found": "Slack has no such member (user_not_found)",
    "deliveries.why.account_inactive": "Their Slack account is deactivated (account_inactive)",
    "deliveries.why.user_disabled": "Their Slack account is disabled (user_disabled)",
    "deliveries.why.cannot_dm_bot": "The Slack member is a bot (cannot_dm_bot)",
    "deliveries.why.channel_not_found": "Slack could not find the DM (channel_not_found)",
    "deliveries.scrolls": "Each person's survey message, a table that scrolls sideways",
  },
  ms: {
    "deliveries.title": "Mesej tinjauan setiap orang",
    "deliveries.show": "Tunjukkan setiap orang",
    "deliveries.intro": "Sama ada DM tinjauan setiap orang telah dihantar, bukan sama ada mereka menjawab.",
    "deliveries.filter": "Tunjukkan",
    "deliveries.all": "Semua orang",
    "deliveries.scheduled": "Dijadualkan",
    "deliveries.pending": "Menunggu",
    "deliveries.sent": "Dihantar",
    "deliveries.failed": "Gagal",
    "deliveries.not_sent": "Tidak dihantar",
    "deliveries.name": "Nama",
    "deliveries.status": "Status",
    "deliveries.due": "Masa hantar, waktu mereka",
    "deliveries.reason": "Sebab",
    "deliveries.none": "Tiada sesiapa dalam status ini.",
    "deliveries.more": "Tunjukkan lebih ramai",
    "deliveries.retrying": "Mencuba semula selepas gangguan",
    "deliveries.why.deactivated": "Orang ini telah dinyahaktifkan",
    "deliveries.why.closed": "Pusingan ditutup sebelum mesej dapat dihantar",
    "deliveries.why.slackOff": "Slack belum dikonfigurasikan",
    "deliveries.why.user_not_found": "Slack tiada ahli ini (user_not_found)",
    "deliveries.why.account_inactive": "Akaun Slack mereka telah dinyahaktifkan (account_inactive)",
    "deliveries.why.user_disabled": "Akaun Slack mereka telah dilumpuhkan (user_disabled)",
    "deliveries.why.cannot_dm_bot": "Ahli Slack ini ialah bot (cannot_dm_bot)",
    "deliveries.why.channel_not_found": "Slack tidak menjumpai DM itu (channel_not_found)",
    "deliveries.scrolls": "Mesej tinjauan setiap orang, jadual yang boleh ditatal ke tepi",
  },
});

const statusNames = () => ({
  scheduled: t("deliveries.scheduled"), pending: t("deliveries.pending"), sent: t("deliveries.sent"),
  failed: t("deliveries.failed"), not_sent: t("deliveries.not_sent"),
});

// recipientsSection is a part of a round's details that lists its
// recipients when HR asks.
export function recipientsSection(roundId) {
  const titleId = uid("recipients");
  const box = el("div");
  const show = el("button", { type: "button", class: "quiet" }, t("deliveries.show"));
  show.addEventListener("click", () => {
    show.remove();
    draw(box, roundId, titleId);
  });
  return el("section", { class: "recipients", "aria-labelledby": titleId },
    el("h4", { id: titleId }, t("deliveries.title")), el("p", { class: "hint" }, t("deliveries.intro")), show, box);
}

function draw(box, roundId, titleId) {
  const names = statusNames();
  const filter = field("status", t("deliveries.filter"), select([["", t("deliveries.all")], ...Object.entries(names)], ""));
  const list = el("div");
  filter.control.addEventListener("change", () => listPage(list, roundId, filter.control.value, titleId));
  fill(box, el("div", { class: "filters" }, filter.node), list);
  listPage(list, roundId, "", titleId);
}

async function listPage(list, roundId, status, titleId) {
  const body = el("tbody");
  const error = el("p", { class: "error", role: "alert" });
  fill(list, el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": t("deliveries.scrolls") },
    el("table", { class: "deliveries stack-narrow" },
      el("thead", {}, el("tr", {}, [t("deliveries.name"), t("deliveries.status"), t("deliveries.due"), t("deliveries.reason")]
        .map((h) => el("th", { scope: "col" }, h)))),
      body)), error);
  await page(body, `/rounds/${roundId}/deliveries` + query({ status, limit: 50 }), null, error);
}

async function page(body, path, cursor, error) {
  try {
    const { rows, next } = await apiPage(path, cursor);
    if (!rows.length && !cursor) body.append(el("tr", {}, el("td", { colspan: 4, class: "muted" }, t("deliveries.none"))));
    const names = statusNames();
    for (const r of rows) body.append(row(r, names));
    if (next) {
      const more = el("tr", {}, el("td", { colspan: 4 }, el("button", { type: "button", class: "link", onclick: () => {
        more.remove();
        page(body, path, next, error);
      } }, t("deliveries.more"))));
      body.append(more);
    }
  } catch (err) {
    error.textContent = err.message;
  }
}

// reasonKeys are the reasons the server records in words of its own
// (delivery/store.go, scheduler/worker.go) and the Slack error codes HR
// meets most, said in the reader's language. Any other reason is a Slack
// code or a transient error's own text, shown as it is.
const reasonKeys = {
  "retrying after an interruption": "deliveries.retrying",
  "employee is deactivated": "deliveries.why.deactivated",
  "the round closed before it could be delivered": "deliveries.why.closed",
  "Slack is not configured": "deliveries.why.slackOff",
  user_not_found: "deliveries.why.user_not_found",
  account_inactive: "deliveries.why.account_inactive",
  user_disabled: "deliveries.why.user_disabled",
  cannot_dm_bot: "deliveries.why.cannot_dm_bot",
  channel_not_found: "deliveries.why.channel_not_found",
};

// deliveryReason is why a delivery is where it is, in the reader's language.
export function deliveryReason(reason) {
  return Object.hasOwn(reasonKeys, reason) ? t(reasonKeys[reason]) : reason;
}

function row(r, names) {
  const reason = deliveryReason(r.reason);
  return el("tr", { class: "delivery " + r.status },
    el("th", { scope: "row" }, r.name, el("span", { class: "hint block email" }, r.email)),
    el("td", { "data-label": t("deliveries.status") }, el("span", { class: "badge status-" + r.status }, names[r.status] || r.status)),
    el("td", { "data-label": t("deliveries.due") }, dateTimeIn(r.due_at, r.timezone) + " (" + r.timezone + ")"),
    el("td", { "data-label": t("deliveries.reason") }, reason || "\u2014"));
}
