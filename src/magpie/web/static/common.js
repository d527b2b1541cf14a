/* Magpie web UI: shared helpers (language, labels, API calls, the event table). Plain JavaScript, no library. */
"use strict";
(function () {
  const FILTER_KEYS = ["actor", "source", "target", "country", "root", "code", "quad", "since", "until", "text", "doc",
    "pair", "country_pair", "place"];
  const LANGS = ["both", "zh", "en"];

  // -- language: both (default), Chinese, English; remembered in localStorage
  function applyLang(lang) {
    document.documentElement.dataset.lang = LANGS.includes(lang) ? lang : "both";
    document.documentElement.lang = lang === "en" ? "en" : "zh";
  }
  let stored = null;
  try { stored = localStorage.getItem("magpie-lang"); } catch (e) { stored = null; }
  applyLang(stored || "both");

  /** An element with attributes and children (strings become text nodes: never parsed as HTML). */
  function el(tag, attrs, ...children) {
    const svg = ["svg", "g", "rect", "line", "path", "circle", "text", "title", "polyline"].includes(tag);
    const node = svg ? document.createElementNS("http://www.w3.org/2000/svg", tag) : document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "text") node.textContent = value;
      else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /** A bilingual label: <span class=zh>…</span><span class=en>…</span>. */
  function t(zh, en) {
    const frag = document.createDocumentFragment();
    frag.append(el("span", { class: "zh", lang: "zh", text: zh }), el("span", { class: "en", lang: "en", text: en }));
    return frag;
  }

  /** The filters of the current URL (only the filter keys), as URLSearchParams. */
  function filters(search) {
    const all = new URLSearchParams(search === undefined ? location.search : search);
    const kept = new URLSearchParams();
    for (const [key, value] of all) if (FILTER_KEYS.includes(key) && value.trim() !== "") kept.append(key, value);
    return kept;
  }

  class ApiError extends Error {}

  async function api(path, params) {
    const query = params ? "?" + params.toString() : "";
    let response;
    try {
      response = await fetch(path + query, { headers: { accept: "application/json" } });
    } catch (error) {
      throw new ApiError("network error / 网络错误: " + error.message);
    }
    let body = null;
    try { body = await response.json(); } catch (error) { body = null; }
    if (!response.ok) throw new ApiError((body && body.error) || `HTTP ${response.status}`);
    return body;
  }

  let metaPromise = null;
  function meta() {
    if (!metaPromise) metaPromise = api("/api/meta").catch(() => ({ roots: {}, quads: {}, codes: {}, countries: {} }));
    return metaPromise;
  }

  function showError(node, error) {
    node.textContent = "";
    node.classList.add("error");
    node.append(t("出错了：", "Error: "), " ", String(error.message || error));
  }

  const fmt = new Intl.NumberFormat("en-US");
  const number = (n) => (n === null || n === undefined ? "—" : fmt.format(n));

  function docHref(docId, eventId) {
    const base = "/documents/" + encodeURIComponent(docId);
    return eventId === undefined ? base : `${base}?event=${eventId}#event-${eventId}`;
  }

  function quadBadge(quad, labels) {
    const name = (labels.quads || {})[String(quad)] || { zh: "", en: "" };
    return el("span", { class: `badge q${quad}`, title: `${name.zh} ${name.en}` }, String(quad ?? "—"));
  }

  function actorHref(code) {
    return "/actors/" + encodeURIComponent(code);
  }

  function actorCell(actor) {
    if (!actor) return el("td", {}, "—");
    const name = actor.name || actor.text || "";
    const extra = actor.text && actor.name && actor.text !== actor.name ? ` (${actor.text})` : "";
    // the English name (lexicon) is shown or hidden by the 中/EN button, like every label
    const names = actor.name_en
      ? [el("span", { class: "zh", lang: "zh" }, name + extra), el("span", { class: "en", lang: "en" }, actor.name_en)]
      : [name + extra];
    const code = actor.code ? el("a", { class: "code actor-link", href: actorHref(actor.code), title: "actor page / 行为者页" }, actor.code)
      : el("span", { class: "code" }, "—");
    return el("td", {}, code, el("small", {}, ...names));
  }

  /** The action place: its name and country; a pin when it has coordinates (it is on the map). */
  function placeCell(place) {
    if (!place || !place.name) return el("td", { class: "place" }, "—");
    const located = place.lat !== null && place.lat !== undefined && place.lon !== null && place.lon !== undefined;
    return el("td", { class: "place", title: located ? `${place.lat}, ${place.lon}` : "" },
      place.name, el("small", {}, (place.country || "") + (located ? " · " + place.lat.toFixed(1) + ", " + place.lon.toFixed(1) : "")));
  }

  /** The evidence sentence with its trigger in bold (offsets relative to the sentence). */
  function evidenceNode(evidence) {
    if (!evidence) return "—";
    const s = evidence.sentence || "";
    const a = (evidence.trigger.start ?? 0) - evidence.start;
    const b = (evidence.trigger.end ?? 0) - evidence.start;
    if (a < 0 || b > s.length || a >= b) return s;
    return [s.slice(0, a), el("b", {}, s.slice(a, b)), s.slice(b)];
  }

  /** One table row for a merged event; the whole row leads to its document. */
  function eventRow(ev, labels, compact) {
    const code = (labels.codes || {})[ev.code] || {};
    const root = (labels.roots || {})[ev.root_code] || { zh: "", en: "" };
    const href = docHref(ev.doc_id, ev.global_event_id);
    const link = el("a", { href, class: "doc-link", "data-event": ev.global_event_id }, ev.title || ev.doc_id);
    const cells = [
      el("td", { class: "date" }, (ev.date || "—") + (ev.date_inferred ? "*" : ""),
        ev.planned ? el("small", {}, "planned 计划") : null),
      actorCell(ev.source),
      el("td", {}, el("span", { class: "code" }, ev.code), el("small", { title: code.name || "" },
        `${root.zh} · ${code.name || root.en}`)),
      actorCell(ev.target),
      compact ? null : placeCell(ev.place),
      el("td", {}, quadBadge(ev.quad_class, labels)),
      el("td", { class: "num" }, ev.goldstein === null ? "—" : ev.goldstein.toFixed(1)),
    ].filter((cell) => cell !== null);
    if (!compact) cells.push(el("td", { class: "num" }, `${ev.num_mentions}`, el("small", {}, `${ev.num_articles} 篇 art.`)));
    cells.push(el("td", { class: "evidence", lang: "zh" }, evidenceNode(ev.evidence)));
    cells.push(el("td", {}, link));
    const row = el("tr", { "data-event": ev.global_event_id, "data-doc": ev.doc_id }, cells);
    row.addEventListener("click", (event) => {
      if (event.target.closest("a")) return;
      if (window.getSelection && String(window.getSelection()).length) return;  // selecting text, not navigating
      location.href = href;
    });
    return row;
  }

  // -- page-wide behaviour
  function init() {
    const button = document.getElementById("lang");
    if (button) {
      button.addEventListener("click", () => {
        const next = LANGS[(LANGS.indexOf(document.documentElement.dataset.lang) + 1) % LANGS.length];
        applyLang(next);
        try { localStorage.setItem("magpie-lang", next); } catch (e) { /* private mode */ }
      });
    }
    // the Events / Timeline / Network links keep the current filters
    const kept = filters().toString();
    if (kept) {
      for (const link of document.querySelectorAll("a[data-keep-filters]")) link.href = link.pathname + "?" + kept;
    }
    for (const form of document.querySelectorAll("form.filters")) {
      form.addEventListener("submit", () => {  // leave empty fields out of the URL
        for (const input of form.querySelectorAll("input, select")) if (!input.value) input.disabled = true;
      });
      for (const drop of form.querySelectorAll("[data-drop]")) {
        drop.addEventListener("click", (event) => {
          event.preventDefault();
          const chip = drop.closest(".chip");
          chip.remove();
          form.requestSubmit();
        });
      }
    }
    const list = document.getElementById("countries");
    if (list) {
      meta().then((labels) => {
        for (const [code, name] of Object.entries(labels.countries || {})) {
          list.append(el("option", { value: code }, `${name.zh} ${name.en}`));
        }
      });
    }
  }

  /** A readable label for an actor code with no name of its own: its country's name (TWN → 台湾 TWN). */
  function codeLabel(code, name, labels) {
    if (name) return `${name} ${code}`;
    const country = ((labels && labels.countries) || {})[String(code).slice(0, 3)];
    return country && country.zh ? `${country.zh} ${code}` : String(code);
  }

  window.Magpie = { el, t, filters, api, meta, showError, number, docHref, quadBadge, eventRow, evidenceNode,
    actorHref, codeLabel, FILTER_KEYS };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
