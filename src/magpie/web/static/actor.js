/* Actor page: one actor code — its names, its events over time by QuadClass, every counterpart, recent events. */
"use strict";
(function () {
  const M = window.Magpie;
  const W = 1200, H = 200, LEFT = 40, RIGHT = 10, TOP = 8, BOTTOM = 24;
  const DAY = 86400000;
  const parse = (text) => Date.UTC(+text.slice(0, 4), +text.slice(5, 7) - 1, +text.slice(8, 10));
  const iso = (ms) => new Date(ms).toISOString().slice(0, 10);

  /** Set a width in % through the CSSOM (the Content-Security-Policy forbids style attributes). */
  function widened(node, percent) {
    node.style.width = `${percent}%`;
    return node;
  }

  function quadBar(perQuad, total) {
    return M.el("div", { class: "quadbar", title: ["1", "2", "3", "4"].map((q) => `Q${q}: ${perQuad[q] || 0}`).join(", ") },
      ...["1", "2", "3", "4"].filter((q) => perQuad[q]).map((q) => widened(M.el("span", { class: "q" + q }),
        (100 * perQuad[q]) / Math.max(1, total))));
  }

  /** Bars per day (per month beyond a year) stacked by QuadClass; dates known only to the month or year are counted
      apart, under the chart. */
  function chart(timeline) {
    const container = document.getElementById("chart");
    container.textContent = "";
    const full = timeline.filter((d) => d.date && d.date.length === 10);
    const partial = timeline.filter((d) => !d.date || d.date.length !== 10)
      .reduce((n, d) => n + d.q1 + d.q2 + d.q3 + d.q4, 0);
    const note = document.getElementById("partial");
    note.textContent = "";
    if (partial) note.append(M.t(`另有 ${partial} 个事件只知道年或月（或无日期），未画出。`,
      `${partial} more events dated only to a month or year (or undated) are not drawn.`));
    if (!full.length) {
      container.append(M.el("p", { class: "hint" }, M.t("没有带完整日期的事件。", "No events with a full date.")));
      return;
    }
    const first = parse(full[0].date), last = parse(full[full.length - 1].date);
    const monthly = (last - first) / DAY > 370;
    const key = (date) => (monthly ? date.slice(0, 7) : date);
    const bins = [];
    const index = new Map();
    for (let ms = first; ms <= last;) {
      const k = key(iso(ms));
      if (!index.has(k)) { index.set(k, bins.length); bins.push({ key: k, q: { 1: 0, 2: 0, 3: 0, 4: 0 }, total: 0 }); }
      if (monthly) { const d = new Date(ms); ms = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1); } else ms += DAY;
      if (bins.length > 3000) break;
    }
    for (const day of full) {
      const bin = bins[index.get(key(day.date))];
      if (!bin) continue;
      for (const q of ["1", "2", "3", "4"]) { bin.q[q] += day["q" + q]; bin.total += day["q" + q]; }
    }
    const plotW = W - LEFT - RIGHT, plotH = H - TOP - BOTTOM;
    const max = Math.max(1, ...bins.map((b) => b.total));
    const bw = plotW / bins.length;
    const svg = M.el("svg", { viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: "none" });
    const axis = M.el("g", { class: "axis" }, M.el("line", { x1: LEFT, y1: TOP + plotH, x2: W - RIGHT, y2: TOP + plotH }),
      M.el("text", { x: LEFT - 6, y: TOP + 10, "text-anchor": "end" }, String(max)),
      M.el("text", { x: LEFT - 6, y: TOP + plotH, "text-anchor": "end" }, "0"));
    const every = Math.max(1, Math.ceil(bins.length / 8));
    const bars = M.el("g", { class: "bars" });
    bins.forEach((bin, i) => {
      const x = LEFT + i * bw;
      let y = TOP + plotH;
      const g = M.el("g", { "data-date": bin.key }, M.el("title", {}, `${bin.key}: ${bin.total}`));
      for (const q of ["1", "2", "3", "4"]) {
        const h = (bin.q[q] / max) * plotH;
        if (!h) continue;
        y -= h;
        g.append(M.el("rect", { class: "q" + q, x: (x + bw * 0.1).toFixed(2), y: y.toFixed(2),
          width: Math.max(1, bw * 0.8).toFixed(2), height: h.toFixed(2) }));
      }
      bars.append(g);
      if (i % every === 0) axis.append(M.el("text", { x: (x + bw / 2).toFixed(1), y: H - 6, "text-anchor": "middle" }, bin.key));
    });
    svg.append(axis, bars);
    container.append(svg);
  }

  async function load() {
    const code = document.getElementById("actor").dataset.code;
    const status = document.getElementById("status");
    const params = M.filters();
    const kept = params.toString();
    const legend = document.getElementById("legend");
    const recentParams = new URLSearchParams(params);
    recentParams.set("recent", "20");
    try {
      const [info, more, labels] = await Promise.all([
        M.api("/api/actors/" + encodeURIComponent(code), recentParams),
        M.api("/api/actors/" + encodeURIComponent(code) + "/timeline", params), M.meta()]);
      const name = document.getElementById("actor-name");
      const country = (labels.countries || {})[info.country] || {};
      name.textContent = "";
      name.append((info.names[0] || {}).name || country.zh || "", " ", M.el("small", { class: "en" }, country.en || ""));
      const scoped = new URLSearchParams(params);
      scoped.set("actor", code);
      document.getElementById("actor-events").href = "/?" + scoped.toString();
      document.getElementById("actor-network").href = "/network?" + scoped.toString();
      const facts = document.getElementById("facts");
      facts.textContent = "";
      const fact = (zh, en, value) => M.el("span", {}, M.el("b", {}, value), M.t(zh, en));
      facts.append(fact("事件", "events", M.number(info.events)), fact("作为发起方", "as source", M.number(info.as_source)),
        fact("作为对象", "as target", M.number(info.as_target)),
        fact("日期", "dates", `${info.first_date || "—"} – ${info.last_date || "—"}`),
        fact("平均戈氏", "mean Goldstein", info.goldstein === null ? "—" : info.goldstein.toFixed(2)),
        fact("对象", "counterparts", M.number(more.counterparts.length)));
      legend.textContent = "";
      for (const q of ["1", "2", "3", "4"]) {
        const label = labels.quads[q] || { zh: "", en: "" };
        legend.append(M.el("span", {}, M.el("span", { class: "sw q" + q }), M.t(label.zh, label.en), ` ${info.per_quad[q] || 0}`));
      }
      chart(more.timeline);
      const body = document.querySelector("#counterparts tbody");
      body.textContent = "";
      for (const other of more.counterparts) {
        const pair = new URLSearchParams(params);
        pair.set("pair", `${code},${other.code}`);
        body.append(M.el("tr", { "data-code": other.code },
          M.el("td", {}, M.el("a", { class: "code actor-link", href: M.actorHref(other.code) + (kept ? "?" + kept : "") }, other.code),
            M.el("small", {}, M.codeLabel(other.code, other.name, labels).replace(new RegExp(` ?${other.code}$`), ""))),
          M.el("td", { class: "num" }, M.el("a", { href: "/?" + pair.toString(), title: "the events between them / 双方事件" }, String(other.events))),
          M.el("td", { class: "num" }, `${other.outgoing} / ${other.incoming}`),
          M.el("td", {}, quadBar(other.per_quad, other.events)),
          M.el("td", { class: "num" }, other.goldstein === null ? "—" : other.goldstein.toFixed(1)),
          M.el("td", { class: "date" }, other.first_date === other.last_date ? (other.first_date || "—") : `${other.first_date} – ${other.last_date}`)));
      }
      const names = document.getElementById("names");
      names.textContent = "";
      for (const n of info.names) names.append(M.el("li", {}, n.name, M.el("small", {}, ` ×${n.events}`)));
      const roots = document.getElementById("roots");
      roots.textContent = "";
      const maxRoot = Math.max(1, ...info.per_root.map((r) => r.events));
      for (const r of info.per_root) {
        const root = labels.roots[r.root] || { zh: "", en: "" };
        const filter = new URLSearchParams(scoped);
        filter.set("root", r.root);
        roots.append(M.el("div", { class: "row" }, M.el("a", { href: "/?" + filter.toString() }, `${r.root} ${root.zh} ${root.en}`),
          widened(M.el("div", { class: "bar" }), (100 * r.events) / maxRoot), M.el("span", { class: "n" }, String(r.events))));
      }
      const recent = document.querySelector("#events tbody");
      recent.textContent = "";
      for (const ev of info.recent) recent.append(M.eventRow(ev, labels, true));
      status.textContent = "";
      document.body.dataset.loaded = "actor";
    } catch (error) {
      M.showError(status, error);
      document.body.dataset.loaded = "error";
    }
  }

  load();
})();
