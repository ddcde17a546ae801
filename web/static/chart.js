// The eNPS trend as an inline SVG: the score line with its 95% interval
// (ci_low..ci_high) as a band, significant changes ringed, and suppressed points as a
// hatched gap that says "not enough answers" and never shows a number.

import { el, svg, uid } from "./dom.js";
import { interval, margin as marginText, period, signed } from "./format.js";
import { strings } from "./i18n.js";

const t = strings({
  en: {
    "chart.suppressed": "{period}: not enough answers",
    "chart.point": "{period}: eNPS {score} {margin}, n = {n}",
    "chart.significant": " (significant change)",
    "chart.title": "eNPS trend",
    "chart.titleLatest": "eNPS trend, latest {score} {margin}",
    "chart.tableBelow": ". The table below lists every point.",
    "chart.range": "{from} to {to}",
    "chart.gapTitle": "{period}: not enough answers to show",
    "chart.gap": "not enough answers",
    "chart.legendLine": "eNPS",
    "chart.legendBand": "95% margin of error",
    "chart.legendSig": "Significant change from the previous point",
    "chart.legendGap": "Not enough answers (fewer than {k})",
    "chart.legendPublished": "Action published",
    "chart.legendDone": "Action done",
    "chart.markPublished": "Published: {title} ({day})",
    "chart.markDone": "Done: {title} ({day})",
  },
  ms: {
    "chart.suppressed": "{period}: jawapan tidak mencukupi",
    "chart.point": "{period}: eNPS {score} {margin}, n = {n}",
    "chart.significant": " (perubahan ketara)",
    "chart.title": "Trend eNPS",
    "chart.titleLatest": "Trend eNPS, terkini {score} {margin}",
    "chart.tableBelow": ". Jadual di bawah menyenaraikan setiap titik.",
    "chart.range": "{from} hingga {to}",
    "chart.gapTitle": "{period}: jawapan tidak mencukupi untuk dipaparkan",
    "chart.gap": "jawapan tidak mencukupi",
    "chart.legendLine": "eNPS",
    "chart.legendBand": "Margin ralat 95%",
    "chart.legendSig": "Perubahan ketara daripada titik sebelumnya",
    "chart.legendGap": "Jawapan tidak mencukupi (kurang daripada {k})",
    "chart.legendPublished": "Tindakan diterbitkan",
    "chart.legendDone": "Tindakan selesai",
    "chart.markPublished": "Diterbitkan: {title} ({day})",
    "chart.markDone": "Selesai: {title} ({day})",
  },
});

const height = 300;
const margin = { top: 24, right: 16, bottom: 44, left: 46 };

// runs splits the points into stretches that are all shown or all suppressed.
function runs(points) {
  const out = [];
  points.forEach((p, i) => {
    const last = out[out.length - 1];
    if (last && last.suppressed === p.suppressed) last.to = i;
    else out.push({ suppressed: p.suppressed, from: i, to: i });
  });
  return out;
}

// domain picks a y range that holds every band and zero, on round ticks.
function domain(points) {
  let lo = 0;
  let hi = 0;
  for (const p of points) {
    if (p.suppressed) continue;
    const [low, high] = interval(p);
    lo = Math.min(lo, low);
    hi = Math.max(hi, high);
  }
  if (lo === 0 && hi === 0) return { lo: -100, hi: 100, step: 50 };
  const step = [5, 10, 20, 25, 50].find((s) => (hi - lo) / s <= 6) || 50;
  lo = Math.max(-100, Math.floor(lo / step) * step);
  hi = Math.min(100, Math.ceil(hi / step) * step);
  if (hi === lo) hi = lo + step;
  return { lo, hi, step };
}

function describe(p, groupBy) {
  const name = period(p, groupBy);
  if (p.suppressed) return t("chart.suppressed", { period: name });
  let s = t("chart.point", { period: name, score: signed(p.enps), margin: marginText(p), n: p.n });
  if (p.significant_change) s += t("chart.significant");
  return s;
}

// trendChart draws points (as the results API returns them) width pixels wide,
// with the group's published action plans (markers) on the periods they were
// published and done in.
export function trendChart(points, { groupBy, width, k, markers = [] }) {
  const w = Math.max(300, Math.round(width));
  const plotW = w - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const step = plotW / Math.max(1, points.length);
  const x = (i) => margin.left + step * (i + 0.5);
  const { lo, hi, step: tick } = domain(points);
  const y = (v) => margin.top + plotH * (hi - Math.max(lo, Math.min(hi, v))) / (hi - lo);

  const hatch = uid("hatch");
  const titleId = uid("chart-title");
  const shown = points.filter((p) => !p.suppressed);
  const latest = shown[shown.length - 1];
  const chart = svg("svg", {
    class: "chart", width: w, height, viewBox: `0 0 ${w} ${height}`, role: "img", "aria-labelledby": titleId,
  },
  svg("title", { id: titleId }, (latest ? t("chart.titleLatest", { score: signed(latest.enps), margin: marginText(latest) })
    : t("chart.title")) + t("chart.tableBelow")),
  svg("defs", {},
    svg("pattern", { id: hatch, width: 8, height: 8, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" },
      svg("rect", { width: 8, height: 8, class: "gap-bg" }),
      svg("line", { x1: 0, y1: 0, x2: 0, y2: 8, class: "gap-line" }))));

  // Grid and y axis.
  for (let v = lo; v <= hi; v += tick) {
    chart.append(svg("line", { x1: margin.left, x2: w - margin.right, y1: y(v), y2: y(v), class: v === 0 ? "zero" : "gridline" }),
      svg("text", { x: margin.left - 8, y: y(v) + 4, class: "tick", "text-anchor": "end" }, v === 0 ? "0" : signed(v, 0)));
  }
  chart.append(svg("text", { x: 4, y: 14, class: "axis-title" }, "eNPS"));

  // x axis labels, thinned to fit.
  const every = Math.ceil(points.length / Math.max(1, Math.floor(plotW / 78)));
  points.forEach((p, i) => {
    if (i % every !== 0) return;
    chart.append(svg("text", { x: x(i), y: height - margin.bottom + 20, class: "tick", "text-anchor": "middle" },
      period(p, groupBy, true)));
  });

  for (const r of runs(points)) {
    if (r.suppressed) chart.append(gap(points, r, { x, step, plotH, hatch, groupBy }));
    else chart.append(stretch(points.slice(r.from, r.to + 1), r.from, { x, y, step }));
  }
  points.forEach((p, i) => {
    if (p.suppressed) return;
    const dot = svg("g", { class: p.significant_change ? "dot sig" : "dot" }, svg("title", {}, describe(p, groupBy)));
    if (p.significant_change) dot.append(svg("circle", { cx: x(i), cy: y(p.enps), r: 9, class: "ring" }));
    dot.append(svg("circle", { cx: x(i), cy: y(p.enps), r: p.significant_change ? 5.5 : 3.5 }));
    if (step >= 44) {
      dot.append(svg("text", { x: x(i), y: y(p.enps) - 12, class: "value", "text-anchor": "middle" }, signed(p.enps, 0)));
    }
    chart.append(dot);
  });

  const marks = actionMarks(points.map((p) => p.period_start), markers);
  for (const m of marks) chart.append(actionMark(m, { x: x(m.index), top: margin.top, bottom: margin.top + plotH }));

  return el("figure", { class: "chart-figure" }, chart, legend(k, marks.length > 0));
}

// actionMarks places each plan's publishing and finishing on the last
// period starting on or before that day (starts: ISO period starts, oldest
// first); a day before the first period is off the chart. The heatmap
// places its marks the same way.
export function actionMarks(starts, markers) {
  const days = starts.map((s) => s.slice(0, 10));
  const indexOf = (iso) => {
    const day = iso.slice(0, 10);
    let found = -1;
    days.forEach((s, i) => { if (s <= day) found = i; });
    return found;
  };
  const out = [];
  for (const m of markers) {
    for (const [kind, at] of [["published", m.published_at], ["done", m.done_at]]) {
      if (!at) continue;
      const index = indexOf(at);
      if (index >= 0) out.push({ kind, index, title: m.title, at, teamId: m.team_id });
    }
  }
  return out;
}

function actionMark(m, { x, top, bottom }) {
  const vars = { title: m.title, day: m.at.slice(0, 10) };
  return svg("g", { class: "action-mark " + m.kind, "data-kind": m.kind },
    svg("title", {}, m.kind === "done" ? t("chart.markDone", vars) : t("chart.markPublished", vars)),
    svg("line", { x1: x, x2: x, y1: top, y2: bottom }),
    svg("path", { d: m.kind === "done"
      ? `M${x - 5},${top - 2} l5,-8 l5,8 z`
      : `M${x - 5},${top - 10} h10 l-5,8 z` }));
}

// stretch draws consecutive shown points: the band, then the line.
function stretch(points, offset, { x, y, step }) {
  const g = svg("g", {});
  const xs = points.map((_, i) => x(offset + i));
  if (points.length === 1) {
    const half = Math.min(step * 0.3, 10);
    const p = points[0];
    const [low, high] = interval(p);
    g.append(svg("rect", { x: xs[0] - half, width: half * 2, y: y(high),
      height: Math.max(1, y(low) - y(high)), class: "band" }));
    return g;
  }
  const upper = points.map((p, i) => `${xs[i]},${y(interval(p)[1])}`);
  const lower = points.map((p, i) => `${xs[i]},${y(interval(p)[0])}`).reverse();
  g.append(svg("polygon", { points: upper.concat(lower).join(" "), class: "band" }),
    svg("polyline", { points: points.map((p, i) => `${xs[i]},${y(p.enps)}`).join(" "), class: "line" }));
  return g;
}

// gap marks suppressed points: hatched, labelled, and with no number.
function gap(points, r, { x, step, plotH, hatch, groupBy }) {
  const left = x(r.from) - step / 2;
  const width = step * (r.to - r.from + 1);
  const first = period(points[r.from], groupBy);
  const name = r.from === r.to ? first : t("chart.range", { from: first, to: period(points[r.to], groupBy) });
  const g = svg("g", { class: "gap" },
    svg("title", {}, t("chart.gapTitle", { period: name })),
    svg("rect", { x: left + 1, width: Math.max(1, width - 2), y: margin.top, height: plotH, fill: `url(#${hatch})` }));
  const cx = left + width / 2;
  if (width >= 130) {
    g.append(svg("text", { x: cx, y: margin.top + 16, "text-anchor": "middle", class: "gap-label" }, t("chart.gap")));
  } else if (width >= 13) {
    const cy = margin.top + plotH / 2;
    g.append(svg("text", { x: cx, y: cy, "text-anchor": "middle", "dominant-baseline": "central",
      transform: `rotate(-90 ${cx} ${cy})`, class: "gap-label" }, t("chart.gap")));
  }
  return g;
}

function legend(k, withActions) {
  const swatch = (cls) => el("span", { class: "swatch " + cls, "aria-hidden": "true" });
  return el("figcaption", { class: "legend" },
    withActions ? el("span", {}, swatch("sw-published"), t("chart.legendPublished")) : null,
    withActions ? el("span", {}, swatch("sw-done"), t("chart.legendDone")) : null,
    el("span", {}, swatch("sw-line"), t("chart.legendLine")),
    el("span", {}, swatch("sw-band"), t("chart.legendBand")),
    el("span", {}, swatch("sw-sig"), t("chart.legendSig")),
    el("span", {}, swatch("sw-gap"), t("chart.legendGap", { k })));
}
