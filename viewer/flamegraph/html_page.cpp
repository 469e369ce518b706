// The page is drawn on a canvas, not as one element per frame: 100 000 frames as SVG or DOM nodes take
// seconds to lay out, a canvas redraws only the frames at least a pixel wide (narrower siblings are merged
// into one grey block, as flamegraph.pl's minwidth does) in milliseconds.
//
// The page keeps what it drew in <pre id="prof-state" hidden> as JSON (frames with their widths as a share
// of the graph, the zoomed frame, the search's matches, the tooltip shown, errors seen), and reads
// #zoom=NAME&search=TEXT&view=icicle and click=NAME / hover=NAME (dispatched as mouse events) from its URL at
// load: a headless browser's --dump-dom then shows the state after a click, a hover or a search, which is
// how tests/viewer/flamegraph checks it.
#include "flamegraph/html_page.hpp"

namespace prof::viewer {

const std::string_view kFlamegraphPage = R"PAGE(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title><!--PROF_FLAME_TITLE--></title>
<style>
  body { margin: 0; font: 13px system-ui, sans-serif; background: #fff; color: #222; }
  header { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; padding: 8px 10px;
           border-bottom: 1px solid #ddd; position: sticky; top: 0; background: #fafafa; z-index: 1; }
  header h1 { font-size: 15px; margin: 0 12px 0 0; font-weight: 600; }
  header input { font: inherit; padding: 2px 6px; width: 16em; }
  header button { font: inherit; padding: 2px 8px; cursor: pointer; }
  #matched { color: #a0a; font-weight: 600; }
  #summary { color: #555; }
  #graph { display: block; margin: 6px 0; cursor: pointer; }
  #tip { position: fixed; pointer-events: none; background: #fffff0; border: 1px solid #999;
         padding: 4px 8px; font: 12px monospace; white-space: pre; display: none; z-index: 2;
         box-shadow: 1px 1px 4px rgba(0,0,0,.2); }
  #details { padding: 2px 10px; font: 12px monospace; min-height: 1.4em; color: #333; white-space: pre; }
</style>
</head>
<body>
<header>
  <h1 id="title"></h1>
  <span id="summary"></span>
  <button id="reset" title="Show the whole graph">Reset zoom</button>
  <button id="orient" title="Root at the top (icicle) or at the bottom (flame)">Icicle</button>
  <input id="search" type="search" placeholder="Search (substring, or /regex/)" aria-label="search">
  <button id="clear">Clear</button>
  <span id="matched"></span>
</header>
<div id="details"> </div>
<canvas id="graph"></canvas>
<div id="tip"></div>
<pre id="prof-state" hidden></pre>
<script id="prof-data" type="application/json">/*PROF_FLAME_DATA*/</script>
<script>
"use strict";
(function () {
  const started = performance.now();
  const errors = [];
  let firstRenderMs = null, hovered = null;
  window.addEventListener("error", e => { errors.push(String(e.message)); writeState(); });

  const D = JSON.parse(document.getElementById("prof-data").textContent);
  const n = D.value.length;
  const value = D.value, before = D.before || null, parent = D.parent;
  // Nodes come in depth-first order, heaviest child first: a subtree is the range [i, i + size[i]).
  const size = new Int32Array(n).fill(1), depth = new Int32Array(n);
  for (let i = n - 1; i > 0; --i) size[parent[i]] += size[i];
  for (let i = 1; i < n; ++i) depth[i] = depth[parent[i]] + 1;
  const firstChild = new Int32Array(n).fill(-1), nextSibling = new Int32Array(n).fill(-1);
  const lastChild = new Int32Array(n).fill(-1);
  for (let i = 1; i < n; ++i) {
    const p = parent[i];
    if (lastChild[p] < 0) firstChild[p] = i; else nextSibling[lastChild[p]] = i;
    lastChild[p] = i;
  }
  const name = i => D.names[D.name[i]];
  const where = i => D.locations[D.location[i]];

  const canvas = document.getElementById("graph"), ctx = canvas.getContext("2d");
  const tip = document.getElementById("tip"), details = document.getElementById("details");
  const searchBox = document.getElementById("search"), orientButton = document.getElementById("orient");
  const ROW = 18, PAD = 10;
  let zoom = 0, icicle = false, matched = null, matchText = "", rows = [], drawn = [], graphWidth = 0;

  function fmt(v) {
    const u = D.unit;
    const a = Math.abs(v);
    if (u === "ns") {
      const units = [[1e9, "s"], [1e6, "ms"], [1e3, "us"], [1, "ns"]];
      for (const [s, l] of units) if (a >= s || s === 1) return (v / s).toPrecision(3) + " " + l;
    }
    if (u === "bytes") {
      const units = [[1 << 30, "GiB"], [1 << 20, "MiB"], [1 << 10, "KiB"]];
      for (const [s, l] of units) if (a >= s) return (v / s).toPrecision(3) + " " + l;
      return v + " B";
    }
    return v.toLocaleString("en-US");
  }
  const pct = (v, of) => of > 0 ? (100 * v / of).toFixed(2) + " %" : "-";

  function hash(s) {
    let h = 2166136261;
    for (let k = 0; k < s.length; ++k) h = Math.imul(h ^ s.charCodeAt(k), 16777619);
    return (h >>> 0) / 4294967296;
  }
  function colour(i) {
    if (matched && matched[i]) return "rgb(230,0,230)";
    if (D.diff) {
      const b = before[i], v = value[i];
      const delta = v - b, scale = Math.max(v, b);
      if (scale === 0 || delta === 0) return "rgb(250,250,250)";
      const t = Math.min(1, Math.abs(delta) / scale);
      const c = Math.round(250 - 200 * t);
      return delta > 0 ? `rgb(250,${c},${c})` : `rgb(${c},${c},250)`;
    }
    const h = hash(name(i));
    if (D.unit === "ns") return `rgb(${205 + Math.round(50 * h)},${Math.round(230 * hash(name(i) + "."))},55)`;
    return `rgb(${Math.round(50 + 60 * h)},${190 + Math.round(50 * hash(name(i) + "."))},${Math.round(50 + 60 * h)})`;
  }

  // The frames to draw at this zoom: the zoomed frame full width, its ancestors above it full width (greyed),
  // its subtree scaled; siblings narrower than a pixel are merged into one block and not descended into.
  function layout() {
    graphWidth = Math.max(100, document.documentElement.clientWidth - 2 * PAD);
    rows = [];
    drawn = [];
    const put = (i, x, w, row, kind) => {
      const r = { i, x, w, row, kind };
      (rows[row] = rows[row] || []).push(r);
      drawn.push(r);
    };
    for (let a = parent[zoom]; a >= 0; a = parent[a]) put(a, 0, graphWidth, depth[a], "ancestor");
    const total = value[zoom];
    const scale = total > 0 ? graphWidth / total : 0;
    const stack = [[zoom, 0]];
    put(zoom, 0, graphWidth, depth[zoom], "frame");
    while (stack.length) {
      const [p, x0] = stack.pop();
      let x = x0, mergedW = 0, mergedN = 0, mergedX = -1;
      for (let c = firstChild[p]; c >= 0; c = nextSibling[c]) {
        const w = value[c] * scale;
        if (w <= 0) continue;
        if (w < 1) {
          if (mergedX < 0) mergedX = x;
          mergedW += w; mergedN += size[c];
        } else {
          put(c, x, w, depth[c], "frame");
          stack.push([c, x]);
        }
        x += w;
      }
      if (mergedN > 0 && mergedW >= 0.5) put(-mergedN, mergedX, mergedW, depth[p] + 1, "merged");
    }
  }

  function draw() {
    const dpr = window.devicePixelRatio || 1;
    const height = Math.max(1, rows.length) * ROW;
    canvas.style.width = (graphWidth + 2 * PAD) + "px";
    canvas.style.height = height + "px";
    canvas.width = Math.round((graphWidth + 2 * PAD) * dpr);
    canvas.height = Math.round(height * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, graphWidth + 2 * PAD, height);
    ctx.font = "12px monospace";
    ctx.textBaseline = "middle";
    const charW = ctx.measureText("m").width || 7;
    for (const r of drawn) {
      const y = icicle ? r.row * ROW : (rows.length - 1 - r.row) * ROW;
      ctx.fillStyle = r.kind === "merged" ? "#ccc" : r.kind === "ancestor" ? "#e8e8e8" : colour(r.i);
      if (r.kind === "ancestor" && matched && matched[r.i]) ctx.fillStyle = "rgb(240,150,240)";
      ctx.fillRect(PAD + r.x, y + 1, Math.max(0.5, r.w - 0.5), ROW - 2);
      if (r.kind === "merged" || r.w < 3 * charW) continue;
      const label = name(r.i), fit = Math.floor((r.w - 6) / charW);
      ctx.fillStyle = "#000";
      ctx.fillText(label.length <= fit ? label : label.slice(0, Math.max(0, fit - 2)) + "..", PAD + r.x + 3,
                   y + ROW / 2);
    }
  }

  function describe(r) {
    if (r.kind === "merged") return `${-r.i} frames narrower than a pixel, merged`;
    const i = r.i, lines = [name(i)];
    if (where(i)) lines.push(where(i));
    lines.push(`${D.title}: ${fmt(value[i])} (${pct(value[i], value[0])} of all, ` +
               `${pct(value[i], value[zoom])} of the zoomed frame)`);
    let self = value[i];
    for (let c = firstChild[i]; c >= 0; c = nextSibling[c]) self -= value[c];
    lines.push(`self: ${fmt(self)}`);
    if (D.diff) {
      const d = value[i] - before[i];
      lines.push(`before: ${fmt(before[i])}, after: ${fmt(value[i])}, change: ${d >= 0 ? "+" : "-"}${fmt(Math.abs(d))}` +
                 (before[i] > 0 ? ` (${d >= 0 ? "+" : ""}${(100 * d / before[i]).toFixed(1)} %)` : " (new)"));
    }
    return lines.join("\n");
  }

  function hit(ev) {
    const rect = canvas.getBoundingClientRect();
    const x = ev.clientX - rect.left - PAD, yRow = Math.floor((ev.clientY - rect.top) / ROW);
    const row = icicle ? yRow : rows.length - 1 - yRow;
    for (const r of rows[row] || []) if (x >= r.x && x < r.x + Math.max(r.w, 1)) return r;
    return null;
  }

  function search(text) {
    matchText = text;
    matched = null;
    const el = document.getElementById("matched");
    if (!text) { el.textContent = ""; return null; }
    let test;
    if (text.length > 2 && text.startsWith("/") && text.endsWith("/")) {
      try { const re = new RegExp(text.slice(1, -1)); test = s => re.test(s); }
      catch (e) { el.textContent = "bad regex"; return null; }
    } else {
      const t = text.toLowerCase();
      test = s => s.toLowerCase().includes(t);
    }
    matched = new Uint8Array(n);
    let sum = 0, count = 0, end = 0;
    for (let i = 1; i < n; ++i) {
      if (!test(name(i))) continue;
      matched[i] = 1;
      ++count;
      // A match inside another match is already in its figure: summed once.
      if (i >= end) { sum += value[i]; end = i + size[i]; }
    }
    el.textContent = `Matched ${count} frames: ${fmt(sum)} (${pct(sum, value[0])})`;
    return { text, frames: count, value: sum, percent: value[0] > 0 ? 100 * sum / value[0] : 0 };
  }

  let lastSearch = null;
  function render() {
    layout();
    draw();
    orientButton.textContent = icicle ? "Flame" : "Icicle";
    if (firstRenderMs === null) firstRenderMs = Math.round(performance.now() - started);
    writeState();
  }
  function writeState() {
    const frames = [];
    for (const r of drawn.slice(0, 5000))
      if (r.kind !== "merged")
        frames.push({ name: name(r.i), location: where(r.i), share: r.w / graphWidth, x: r.x / graphWidth,
                      depth: r.row, kind: r.kind, matched: !!(matched && matched[r.i]), colour: colour(r.i) });
    const merged = drawn.filter(r => r.kind === "merged").reduce((s, r) => s - r.i, 0);
    document.getElementById("prof-state").textContent = JSON.stringify({
      nodes: n, zoom: name(zoom), view: icicle ? "icicle" : "flame", frames, merged,
      drawn: drawn.length, search: lastSearch, ms: firstRenderMs, tooltip: hovered, errors });
  }

  function zoomTo(i) { zoom = i; render(); }
  canvas.addEventListener("mousemove", ev => {
    const r = hit(ev);
    if (!r) { tip.style.display = "none"; return; }
    tip.textContent = describe(r);
    tip.style.display = "block";
    const left = Math.min(ev.clientX + 12, window.innerWidth - tip.offsetWidth - 4);
    tip.style.left = Math.max(0, left) + "px";
    tip.style.top = (ev.clientY + 14) + "px";
    details.textContent = r.kind === "merged" ? describe(r) : `${name(r.i)}  ${where(r.i)}  ${fmt(value[r.i])}`;
  });
  canvas.addEventListener("mouseleave", () => { tip.style.display = "none"; });
  canvas.addEventListener("click", ev => { const r = hit(ev); if (r && r.kind !== "merged") zoomTo(r.i); });
  document.getElementById("reset").addEventListener("click", () => zoomTo(0));
  orientButton.addEventListener("click", () => { icicle = !icicle; render(); });
  let timer = 0;
  searchBox.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => { lastSearch = search(searchBox.value); render(); }, 120);
  });
  document.getElementById("clear").addEventListener("click", () => {
    searchBox.value = ""; lastSearch = search(""); render();
  });
  window.addEventListener("keydown", ev => {
    if ((ev.ctrlKey || ev.metaKey) && ev.key === "f") { ev.preventDefault(); searchBox.focus(); }
    if (ev.key === "Escape") zoomTo(0);
  });
  window.addEventListener("resize", render);

  document.getElementById("title").textContent = "Flame graph: " + D.title;
  document.getElementById("summary").textContent =
    `${fmt(value[0])} in ${(n - 1).toLocaleString("en-US")} frames` + (D.diff ? "; red grew, blue shrank" : "") +
    (D.source ? " (" + D.source + ")" : "");
  // #zoom=NAME&search=TEXT&view=icicle: the state a link (or a test) asks for.
  const asked = new URLSearchParams(location.hash.slice(1));
  if (asked.get("view") === "icicle") icicle = true;
  if (asked.get("search")) { searchBox.value = asked.get("search"); lastSearch = search(searchBox.value); }
  if (asked.get("zoom")) {
    for (let i = 0; i < n; ++i) if (name(i) === asked.get("zoom")) { zoom = i; break; }
  }
  render();
  // #click=NAME, #hover=NAME: a real mouse event at the centre of the first frame so named, through the same
  // hit test and handlers as a user's; the tooltip it shows is kept in the state.
  const at = wanted => {
    const r = drawn.find(d => d.kind !== "merged" && name(d.i) === wanted);
    if (!r) return null;
    const box = canvas.getBoundingClientRect();
    const y = icicle ? r.row * ROW : (rows.length - 1 - r.row) * ROW;
    return { clientX: box.left + PAD + r.x + r.w / 2, clientY: box.top + y + ROW / 2, bubbles: true };
  };
  let tooltip = null;
  if (asked.get("click") && at(asked.get("click"))) canvas.dispatchEvent(new MouseEvent("click", at(asked.get("click"))));
  if (asked.get("hover") && at(asked.get("hover"))) {
    canvas.dispatchEvent(new MouseEvent("mousemove", at(asked.get("hover"))));
    tooltip = tip.style.display === "block" ? tip.textContent : null;
  }
  hovered = tooltip;
  writeState();
})();
</script>
</body>
</html>
)PAGE";

}  // namespace prof::viewer
