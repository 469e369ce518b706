#include "flamegraph/svg_script.hpp"

namespace prof::viewer {

// flamegraph.pl's interactions in the SVG itself: a click zooms on a frame (its ancestors stay full width
// above it), "Search" highlights the frames whose name has the text and sums them (a match inside a match
// counted once), "Reset zoom" goes back. #zoom=NAME&search=TEXT in the URL does the same at load, and the
// state is kept in <text id="prof-state"> as JSON, which tests/viewer/flamegraph reads with chromium.
const std::string_view kSvgScript = R"JS("use strict";
(function () {
  const svg = document.documentElement, PAD = 10;
  const W = +svg.getAttribute("width") - 2 * PAD;
  const frames = Array.from(document.querySelectorAll("g.f, g.m")).map(g => {
    const r = g.querySelector("rect");
    return { g, r, t: g.querySelector("text"), x: +r.getAttribute("x") - PAD, w: +r.getAttribute("width"),
             d: +g.getAttribute("data-d"), v: +(g.getAttribute("data-v") || 0), n: g.getAttribute("data-n"),
             fill: r.getAttribute("fill"), cw: 0 };
  });
  let zoomed = null, search = null;
  const eps = 1e-6;
  function label(f) {
    if (!f.t) return;
    const fit = Math.floor((f.cw - 6) / 7);
    f.t.textContent = fit < 3 ? "" : f.n.length <= fit ? f.n : f.n.slice(0, fit - 2) + "..";
  }
  function zoom(z) {
    zoomed = z;
    for (const f of frames) {
      let x = f.x, w = f.w, show = true;
      if (z && f.d < z.d) {
        show = f.x <= z.x + eps && f.x + f.w >= z.x + z.w - eps;
        x = 0; w = W;
      } else if (z) {
        show = f.x >= z.x - eps && f.x + f.w <= z.x + z.w + eps;
        x = (f.x - z.x) / z.w * W; w = f.w / z.w * W;
      }
      f.g.style.display = show ? "" : "none";
      f.r.setAttribute("x", PAD + x);
      f.r.setAttribute("width", w);
      if (f.t) f.t.setAttribute("x", PAD + x + 3);
      f.cx = x; f.cw = show ? w : 0;
      label(f);
    }
    state();
  }
  function find(text) {
    const t = text.toLowerCase();
    const hits = frames.filter(f => f.n !== null && f.n.toLowerCase().includes(t));
    for (const f of frames) if (f.n !== null) f.r.setAttribute("fill", hits.includes(f) ? "rgb(230,0,230)" : f.fill);
    // Sorted by start, outer first: a match inside the one before it is already in its figure.
    hits.sort((a, b) => a.x - b.x || a.d - b.d);
    let sum = 0, end = -1;
    for (const f of hits) if (f.x >= end - eps) { sum += f.v; end = f.x + f.w; }
    const all = frames.find(f => f.d === 0);
    const percent = all && all.v > 0 ? 100 * sum / all.v : 0;
    document.getElementById("matched").textContent = `Matched ${hits.length}: ${percent.toFixed(2)} %`;
    search = { text, frames: hits.length, value: sum, percent };
    state();
  }
  function state() {
    const shown = frames.filter(f => f.n !== null && f.cw > 0)
      .map(f => ({ name: f.n, depth: f.d, share: f.cw / W, x: f.cx / W }));
    document.getElementById("prof-state").textContent =
      JSON.stringify({ zoom: zoomed ? zoomed.n : "all", frames: shown, search });
  }
  for (const f of frames) if (f.n !== null) f.g.addEventListener("click", () => zoom(f));
  document.getElementById("reset").addEventListener("click", () => zoom(null));
  document.getElementById("search").addEventListener("click", () => {
    const text = prompt("Search frames whose name has:", search ? search.text : "");
    if (text) find(text);
  });
  zoom(null);
  const asked = new URLSearchParams(location.hash.slice(1));
  if (asked.get("zoom")) zoom(frames.find(f => f.n === asked.get("zoom")) || null);
  if (asked.get("search")) find(asked.get("search"));
})();
)JS";

}  // namespace prof::viewer
