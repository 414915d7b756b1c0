// The fixed parts of the HTML report; see page_assets.h and docs/report.md.
#include "report/page_assets.h"

namespace fable::report_assets {

std::string_view style_css() {
  return R"css(
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;
 color:#1d232b;background:#f4f5f7}
main{max-width:1220px;margin:0 auto;padding:24px 28px 48px}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:20px;margin:34px 0 8px;padding-bottom:4px;border-bottom:2px solid #c9ced6}
h3{font-size:17px;margin:0 0 6px}
p.lead{margin:0 0 12px;color:#46505c}
p.note{color:#46505c;font-size:13.5px;margin:6px 0 12px}
code{font:13px/1.3 "DejaVu Sans Mono",Menlo,Consolas,monospace;background:#e8ebef;padding:1px 4px;
 border-radius:3px}
.facts{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0 4px}
.fact{background:#fff;border:1px solid #d6dae0;border-radius:6px;padding:8px 12px;min-width:150px}
.fact b{display:block;font-size:19px}
.fact span{font-size:12.5px;color:#5a6470}
.grid{display:grid;gap:14px}
.g4{grid-template-columns:repeat(4,minmax(0,1fr))}
.g2{grid-template-columns:repeat(2,minmax(0,1fr))}
.card{background:#fff;border:1px solid #d6dae0;border-radius:6px;padding:10px 12px}
.card h3{font-size:15px}
.chart{position:relative;height:230px}
.chart.tall{height:300px}
table{border-collapse:collapse;width:100%;background:#fff;font-size:13.5px;margin:14px 0}
th,td{border:1px solid #d6dae0;padding:4px 7px;text-align:left;vertical-align:top}
th{background:#eceff3;font-weight:600}
td.who{white-space:nowrap}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.tiles{display:flex;flex-wrap:wrap;gap:6px;margin:8px 0}
.tile{border-radius:4px;padding:5px 8px;font-size:12.5px;border:1px solid rgba(0,0,0,.15)}
.tile small{display:block;color:#3b444f}
.r0{background:#f6c6c6}.r1{background:#fbe3a6}.r2{background:#cfe2f7}.r3{background:#d9d2f0}
.r4{background:#c9ebcb}
.legend{display:flex;flex-wrap:wrap;gap:8px;font-size:12.5px;margin:4px 0}
.legend span{padding:2px 8px;border-radius:4px;border:1px solid rgba(0,0,0,.15)}
.record{background:#fff;border:1px solid #d6dae0;border-left:6px solid #8a94a3;border-radius:6px;
 padding:12px 16px;margin:14px 0}
.record.s5,.record.s4{border-left-color:#c0392b}.record.s3{border-left-color:#e67e22}
.record.s2,.record.s1{border-left-color:#d4ac0d}
.sev{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;background:#8a94a3;
 font-size:12.5px;margin-left:6px;vertical-align:2px}
.s5 .sev,.s4 .sev{background:#c0392b}.s3 .sev{background:#e67e22}
.s2 .sev,.s1 .sev{background:#b7950b}
dl.kv{display:grid;grid-template-columns:150px 1fr;gap:3px 12px;margin:8px 0}
dl.kv dt{color:#5a6470}dl.kv dd{margin:0}
tr.essential td{background:#fff4d6}
ul.toc{columns:3;padding-left:18px;font-size:13.5px}
a{color:#1f5fa8}
details summary{cursor:pointer;margin:8px 0;color:#1f5fa8}
footer{margin-top:36px;font-size:12.5px;color:#5a6470}
)css";
}

std::string_view check_js() {
  return R"js(
(function () {
  "use strict";
  var st = { errors: 0, blocked: 0, messages: [], update: null };
  window.__reportCheck = st;
  function note(kind, text) {
    st.messages.push(kind + ": " + text);
    if (st.update) st.update();
  }
  window.addEventListener("error", function (e) {
    st.errors++;
    var t = e.target && e.target !== window ? (e.target.src || e.target.href || e.target.tagName)
                                            : e.message;
    note("error", String(t));
  }, true);
  window.addEventListener("unhandledrejection", function (e) {
    st.errors++;
    note("rejection", String(e.reason));
  });
  document.addEventListener("securitypolicyviolation", function (e) {
    st.blocked++;
    note("blocked", e.blockedURI + " (" + e.violatedDirective + ")");
  });
  var original = console.error;
  console.error = function () {
    st.errors++;
    note("console.error", Array.prototype.join.call(arguments, " "));
    return original.apply(console, arguments);
  };
})();
)js";
}

std::string_view charts_js() {
  return R"js(
(function () {
  "use strict";
  var st = window.__reportCheck;
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2",
                 "#17becf", "#7f7f7f", "#bcbd22"];
  function rgba(hex, a) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + (n >> 16) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + a + ")";
  }
  Chart.defaults.animation = false;
  Chart.defaults.responsive = true;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.size = 12;
  Chart.defaults.color = "#1d232b";
  var charts = [];
  function make(id, config) {
    var el = document.getElementById(id);
    if (!el) { st.errors++; st.messages.push("no canvas " + id); return; }
    try {
      charts.push({ id: id, canvas: el, chart: new Chart(el, config) });
    } catch (e) {
      st.errors++;
      st.messages.push(id + ": " + e.message);
    }
  }
  // A floating bar from low to high per label, and a point at mid.
  function intervalChart(id, labels, low, high, mid, opts) {
    var bars = [], i;
    for (i = 0; i < labels.length; i++) bars.push(low[i] === null ? null : [low[i], high[i]]);
    make(id, {
      type: "bar",
      data: {
        labels: labels,
        datasets: [
          { type: "bar", label: opts.rangeLabel, data: bars,
            backgroundColor: rgba(opts.color, 0.28),
            borderColor: rgba(opts.color, 0.9), borderWidth: 1, barPercentage: 0.55,
            minBarLength: 2, order: 2 },
          { type: "line", label: opts.midLabel, data: mid, showLine: false, pointRadius: 5,
            pointStyle: "rectRot", backgroundColor: "#1d232b", borderColor: "#1d232b", order: 1,
            clip: false }
        ]
      },
      options: {
        plugins: { legend: { display: opts.legend, position: "bottom" },
                   title: { display: !!opts.title, text: opts.title } },
        scales: {
          y: { min: opts.yMin, max: opts.yMax, title: { display: true, text: opts.yTitle } },
          x: { ticks: { autoSkip: false, maxRotation: 30 } }
        }
      }
    });
  }
  data.capture.forEach(function (c, i) {
    intervalChart("capture-" + i, data.matchups, c.lower, c.upper, c.rate, {
      color: i === 0 ? "#c0392b" : palette[(i - 1) % palette.length],
      rangeLabel: "95% Wilson interval", midLabel: "capture rate", legend: false,
      title: "", yTitle: "share of episodes", yMin: 0, yMax: 1
    });
  });
  if (data.final) {
    intervalChart("final-welfare", data.matchups, data.final.welfare.min, data.final.welfare.max,
                  data.final.welfare.median, {
      color: "#2ca02c", rangeLabel: "min to max", midLabel: "median", legend: true, title: "",
      yTitle: "worst-off welfare (0..1)", yMin: 0, yMax: 1 });
    intervalChart("final-treasury", data.matchups, data.final.treasury.min,
                  data.final.treasury.max, data.final.treasury.median, {
      color: "#1f77b4", rangeLabel: "min to max", midLabel: "median", legend: true, title: "",
      yTitle: "treasury (units)", yMin: 0, yMax: undefined });
  }
  function turnChart(id, series, yTitle, yMax) {
    var datasets = [];
    var longest = 0;
    series.forEach(function (s, i) {
      var color = palette[i % palette.length];
      longest = Math.max(longest, s.median.length);
      datasets.push({ label: s.matchup + " min", data: s.min, borderColor: rgba(color, 0.55),
                      backgroundColor: rgba(color, 0.0), borderWidth: 1, borderDash: [4, 3],
                      pointRadius: 0, fill: false, band: true, clip: false });
      datasets.push({ label: s.matchup + " max", data: s.max, borderColor: rgba(color, 0.55),
                      backgroundColor: rgba(color, 0.08), borderWidth: 1, borderDash: [4, 3],
                      pointRadius: 0, fill: "-1", band: true, clip: false });
      datasets.push({ label: s.matchup + " (median, " + s.episodes + " episodes)", data: s.median,
                      borderColor: color, backgroundColor: color, borderWidth: 2.5,
                      pointRadius: 0, fill: false, clip: false });
    });
    var labels = [];
    for (var t = 0; t < longest; t++) labels.push(t);
    make(id, {
      type: "line",
      data: { labels: labels, datasets: datasets },
      options: {
        plugins: { legend: { position: "bottom", labels: { filter: function (item, d) {
          return !d.datasets[item.datasetIndex].band; } } } },
        scales: { x: { title: { display: true, text: "turn" } },
                  y: { min: 0, max: yMax, title: { display: true, text: yTitle } } }
      }
    });
  }
  if (data.turns) {
    turnChart("turns-welfare", data.turns.welfare, "worst-off welfare (0..1)", 1);
    turnChart("turns-treasury", data.turns.treasury, "treasury (units)", undefined);
  }

  // The self-check: every chart must have drawn marks at finite positions
  // and put ink on its canvas; no error, console error or blocked request.
  function marks(c) {
    var n = 0;
    for (var i = 0; i < c.data.datasets.length; i++) {
      c.getDatasetMeta(i).data.forEach(function (el) {
        if (Number.isFinite(el.x) && Number.isFinite(el.y)) n++;
      });
    }
    return n;
  }
  function ink(canvas) {
    var w = canvas.width, h = canvas.height;
    if (!w || !h) return 0;
    var px = canvas.getContext("2d").getImageData(0, 0, w, h).data, n = 0;
    for (var i = 3; i < px.length; i += 4) if (px[i] !== 0) n++;
    return n;
  }
  var drawn = null;
  function verdict() {
    if (drawn === null) return;
    var ok = st.errors === 0 && st.blocked === 0 && drawn.empty.length === 0 &&
             charts.length === drawn.expected;
    document.body.setAttribute("data-check",
      (ok ? "ok" : "fail") + " charts=" + charts.length + "/" + drawn.expected +
      " marks=" + drawn.marks + " empty=" + drawn.empty.length + " errors=" + st.errors +
      " blocked=" + st.blocked);
    document.body.setAttribute("data-check-log", st.messages.concat(
      drawn.empty.map(function (id) { return "no marks: " + id; })).join(" | "));
  }
  st.update = verdict;
  function check() {
    var r = { expected: document.querySelectorAll("canvas").length, marks: 0, empty: [] };
    charts.forEach(function (c) {
      var m = marks(c.chart);
      r.marks += m;
      if (m === 0 || ink(c.canvas) === 0) r.empty.push(c.id);
    });
    drawn = r;
    verdict();
  }
  window.addEventListener("load", function () {
    requestAnimationFrame(function () { setTimeout(check, 50); });
  });
})();
)js";
}

}  // namespace fable::report_assets
