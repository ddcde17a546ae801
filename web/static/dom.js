// Small helpers for building the page. Everything from the API goes in as
// text nodes or attributes, never as HTML.

import { strings } from "./i18n.js";

const t = strings({
  en: {
    "dom.cancel": "Cancel",
  },
  ms: {
    "dom.cancel": "Batal",
  },
});

function add(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function setAttrs(node, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  return node;
}

// el("p", {class: "hint"}, "text", child…) builds an HTML element.
export function el(tag, attrs, ...children) {
  return add(setAttrs(document.createElement(tag), attrs), children);
}

// svg("circle", {cx: 1}) builds an SVG element.
export function svg(tag, attrs, ...children) {
  return add(setAttrs(document.createElementNS("http://www.w3.org/2000/svg", tag), attrs), children);
}

export const $ = (id) => document.getElementById(id);

// fill replaces what node holds.
export function fill(node, ...children) {
  node.replaceChildren();
  return add(node, children);
}

// say puts a message (or nothing) in a status or alert element.
export function say(node, message) {
  node.textContent = message ? sentence(message) : "";
}

// sentence starts a message with a capital letter, as people write them.
export function sentence(message) {
  const s = String(message);
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// busy disables button while work runs, so a double click sends once.
export async function busy(button, work) {
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
  }
}

let nextId = 0;

// uid makes an id for tying labels and hints to fields.
export function uid(prefix) {
  nextId += 1;
  return prefix + "-" + nextId;
}

// bar is a horizontal share bar with its label and value as text.
export function bar(label, share, valueText, kind) {
  const fillNode = el("span", { class: "bar-fill" + (kind ? " " + kind : "") });
  // Through the CSSOM rather than a style attribute, which a strict
  // Content-Security-Policy would refuse.
  fillNode.style.width = Math.max(0, Math.min(100, share * 100)).toFixed(1) + "%";
  return el("div", { class: "bar-row" },
    el("span", { class: "bar-label" }, label),
    el("span", { class: "bar-track", "aria-hidden": "true" }, fillNode),
    el("span", { class: "bar-value" }, valueText));
}

// confirmAction asks in a modal dialog on the page (not window.confirm, so
// it can say more, is styled like the rest and is keyboard-friendly) and
// resolves true when the person confirms.
export function confirmAction(title, message, action, danger) {
  const ok = el("button", { type: "submit", value: "ok", class: danger ? "danger" : null }, action);
  const dialog = el("dialog", { class: "confirm", "aria-labelledby": "confirm-title" },
    el("form", { method: "dialog" },
      el("h3", { id: "confirm-title" }, title),
      el("p", {}, message),
      el("div", { class: "row" }, ok, el("button", { type: "submit", value: "cancel", class: "quiet" }, t("dom.cancel")))));
  document.body.append(dialog);
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      resolve(dialog.returnValue === "ok");
      dialog.remove();
    });
    dialog.showModal();
    ok.focus();
  });
}
