// The HTML writer of the report: a ReportModel into one self-contained page;
// see include/fable/report.h and docs/report.md.
#include <cmath>
#include <string>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "fable/report.h"
#include "report/page_assets.h"

namespace fable {

namespace {

using nlohmann::json;

// Every request is refused: only the page's own inline scripts and styles
// run, and images only from data: URLs.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

// A number for the chart data: rounded to 6 decimals (a fixed format, so
// the page's bytes do not depend on the last bits of a sum); NaN and
// infinities become null, -0 becomes 0.
json chart_number(double v) {
  if (!std::isfinite(v)) return nullptr;
  const double r = std::round(v * 1e6) / 1e6;
  return r == 0.0 ? 0.0 : r;
}

// Numbers in the tables.
std::string fixed(double v, int decimals) {
  if (!std::isfinite(v)) return "n/a";
  std::string s = fmt::format("{:.{}f}", v, decimals);
  if (s.starts_with('-') && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  return s;
}

std::string esc(std::string_view s) {
  return html_escape(s);
}

json page_data(const ReportModel& m) {
  json d = json::object();
  json names = json::array();
  for (const ReportMatchup& mu : m.matchups) names.push_back(mu.name);
  d["matchups"] = names;
  json capture = json::array();
  // No matchup (a hunt's run: no episodes), no capture chart.
  const std::size_t charts = m.matchups.empty() ? 0 : m.capture_names.size();
  for (std::size_t i = 0; i < charts; ++i) {
    json c = {{"name", m.capture_names[i]}};
    json rate = json::array(), lower = json::array(), upper = json::array();
    for (const ReportMatchup& mu : m.matchups) {
      const ReportRate r = i < mu.capture.size() ? mu.capture[i] : ReportRate{};
      rate.push_back(chart_number(r.rate));
      lower.push_back(chart_number(r.lower));
      upper.push_back(chart_number(r.upper));
    }
    c["rate"] = rate;
    c["lower"] = lower;
    c["upper"] = upper;
    capture.push_back(c);
  }
  d["capture"] = capture;
  bool any_final = false;
  for (const ReportMatchup& mu : m.matchups) any_final = any_final || mu.final_worst_off;
  if (any_final) {
    auto spread = [&](auto member) {
      json med = json::array(), lo = json::array(), hi = json::array();
      for (const ReportMatchup& mu : m.matchups) {
        const std::optional<ReportSpread>& s = mu.*member;
        med.push_back(s ? chart_number(s->median) : json(nullptr));
        lo.push_back(s ? chart_number(s->min) : json(nullptr));
        hi.push_back(s ? chart_number(s->max) : json(nullptr));
      }
      return json{{"median", med}, {"min", lo}, {"max", hi}};
    };
    d["final"] = {{"welfare", spread(&ReportMatchup::final_worst_off)},
                  {"treasury", spread(&ReportMatchup::final_treasury)}};
  } else {
    d["final"] = nullptr;
  }
  bool any_turns = false;
  for (const ReportMatchup& mu : m.matchups) any_turns = any_turns || !mu.worst_off_by_turn.empty();
  if (any_turns) {
    auto series = [&](auto member) {
      json out = json::array();
      for (const ReportMatchup& mu : m.matchups) {
        const std::vector<ReportSpread>& v = mu.*member;
        if (v.empty()) continue;
        json med = json::array(), lo = json::array(), hi = json::array();
        for (const ReportSpread& s : v) {
          med.push_back(chart_number(s.median));
          lo.push_back(chart_number(s.min));
          hi.push_back(chart_number(s.max));
        }
        out.push_back({{"matchup", mu.name},
                       {"episodes", mu.replayed_episodes},
                       {"median", med},
                       {"min", lo},
                       {"max", hi}});
      }
      return out;
    };
    d["turns"] = {{"welfare", series(&ReportMatchup::worst_off_by_turn)},
                  {"treasury", series(&ReportMatchup::treasury_by_turn)}};
  } else {
    d["turns"] = nullptr;
  }
  return d;
}

void fact(std::string& out, std::string_view value, std::string_view label) {
  out += fmt::format("<div class=\"fact\"><b>{}</b><span>{}</span></div>", esc(value), esc(label));
}

void header(std::string& out, const ReportModel& m) {
  out += fmt::format("<h1>{} v{}</h1>\n", esc(m.kernel_name), esc(m.kernel_version));
  out += fmt::format(
      "<p class=\"lead\">Red-team report of {} <code>{}</code> "
      "(kernel content hash <code>{}</code>).</p>\n",
      esc(m.source_kind), esc(m.source), esc(m.kernel_hash));
  out += "<div class=\"facts\">";
  fact(out, std::to_string(m.episodes), "episodes");
  fact(out, std::to_string(m.matchups.size()), "matchups");
  fact(out, std::to_string(m.records.size()), "exploit records");
  fact(out, fixed(m.initial_treasury, 0), "initial treasury (units)");
  if (!m.population.empty()) fact(out, m.population, "honest population model");
  if (m.coverage) {
    std::size_t never = 0;
    for (const CoverageEntry& c : m.coverage->clauses) never += c.counters.exercised() ? 0 : 1;
    fact(out, fmt::format("{} of {}", never, m.coverage->clauses.size()),
         "clauses never exercised");
  }
  out += "</div>\n";
  out +=
      "<ul class=\"toc\"><li><a href=\"#capture\">Capture rates</a></li>"
      "<li><a href=\"#welfare\">Welfare and treasury</a></li>"
      "<li><a href=\"#coverage\">Clause coverage</a></li>"
      "<li><a href=\"#records\">Exploit records</a></li></ul>\n";
}

void capture_section(std::string& out, const ReportModel& m) {
  out += "<h2 id=\"capture\">Capture rates by matchup and objective</h2>\n";
  out +=
      "<p class=\"note\">Share of each matchup's episodes in which the red team captured the "
      "objective (docs/objectives.md); <b>any</b> counts an episode with at least one. The bar "
      "is the 95% Wilson score interval, the diamond the observed rate (" +
      std::string(m.origin == ReportOrigin::kRunStore ? "the store's episodes"
                                                      : "leaderboard.json") +
      ").</p>\n";
  if (m.matchups.empty()) {
    out += "<p class=\"note\">No episodes: nothing to chart.</p>\n";
    return;
  }
  out += "<div class=\"grid g4\">\n";
  for (std::size_t i = 0; i < m.capture_names.size(); ++i) {
    out += fmt::format(
        "<div class=\"card\"><h3>{}</h3><div class=\"chart\"><canvas id=\"capture-{}\" "
        "role=\"img\" aria-label=\"capture rate: {}\"></canvas></div></div>\n",
        esc(m.capture_names[i]), i, esc(m.capture_names[i]));
  }
  out += "</div>\n";
  out +=
      "<table><thead><tr><th>matchup</th><th>episodes</th><th>any capture</th>"
      "<th>mean governance score</th><th>worst-off welfare mean</th>"
      "<th>treasury retention mean</th><th>findings</th></tr></thead><tbody>\n";
  for (const ReportMatchup& mu : m.matchups) {
    const ReportRate any = mu.capture.empty() ? ReportRate{} : mu.capture.front();
    out += fmt::format(
        "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{} [{}, {}]</td>"
        "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
        "<td class=\"n\">{}</td></tr>\n",
        esc(mu.name), mu.episodes, fixed(any.rate, 2), fixed(any.lower, 2), fixed(any.upper, 2),
        fixed(mu.governance_score_mean, 2), fixed(mu.worst_off_welfare_mean, 3),
        fixed(mu.treasury_retention_mean, 3), mu.findings);
  }
  out += "</tbody></table>\n";
}

void welfare_section(std::string& out, const ReportModel& m) {
  out += "<h2 id=\"welfare\">Worst-off welfare and the treasury</h2>\n";
  bool any_final = false;
  bool any_turns = false;
  for (const ReportMatchup& mu : m.matchups) {
    any_final = any_final || mu.final_worst_off;
    any_turns = any_turns || !mu.worst_off_by_turn.empty();
  }
  if (any_turns) {
    out +=
        "<p class=\"note\">Over turns: the solid line is the median across a matchup's episodes, "
        "the shaded band between dashed lines of its colour the range (minimum to maximum). "
        "Worst-off welfare is the lowest welfare among "
        "citizens who have not exited (the empathy floor, docs/metrics.md).</p>\n";
    out +=
        "<div class=\"grid g2\"><div class=\"card\"><h3>Worst-off welfare over turns</h3>"
        "<div class=\"chart tall\"><canvas id=\"turns-welfare\" role=\"img\" aria-label=\""
        "worst-off welfare over turns\"></canvas></div></div>\n"
        "<div class=\"card\"><h3>Treasury over turns</h3><div class=\"chart tall\"><canvas "
        "id=\"turns-treasury\" role=\"img\" aria-label=\"treasury over turns\"></canvas></div>"
        "</div></div>\n";
  }
  out += fmt::format("<p class=\"note\">{}</p>\n", esc(m.turn_series_note));
  if (any_final) {
    out +=
        "<p class=\"note\">After the last turn, from " +
        std::string(m.origin == ReportOrigin::kRunStore ? "every episode of the run in the store"
                                                        : "every episode file (episodes/*.json)") +
        ": the "
        "bar runs from the minimum to the maximum across a matchup's episodes, the diamond is "
        "the median.</p>\n";
    out +=
        "<div class=\"grid g2\"><div class=\"card\"><h3>Final worst-off welfare</h3>"
        "<div class=\"chart\"><canvas id=\"final-welfare\" role=\"img\" aria-label=\"final "
        "worst-off welfare\"></canvas></div></div>\n"
        "<div class=\"card\"><h3>Final treasury</h3><div class=\"chart\"><canvas "
        "id=\"final-treasury\" role=\"img\" aria-label=\"final treasury\"></canvas></div>"
        "</div></div>\n";
  } else {
    out += m.origin == ReportOrigin::kRunStore
               ? "<p class=\"note\">The run has no episode rows in the store: no per-episode "
                 "figures to show.</p>\n"
               : "<p class=\"note\">The folder has no episode files (written with "
                 "<code>--episode-files none</code>?): no per-episode figures to show.</p>\n";
  }
}

void coverage_section(std::string& out, const ReportModel& m) {
  out += "<h2 id=\"coverage\">Clause coverage</h2>\n";
  if (!m.coverage) {
    out +=
        "<p class=\"note\">Not recorded: give the report the file a run wrote with "
        "<code>--coverage FILE</code> (docs/coverage-format.md).</p>\n";
    return;
  }
  const CoverageReport& c = *m.coverage;
  out += fmt::format(
      "<p class=\"note\">How the {} episodes exercised each clause of the kernel "
      "(docs/coverage-format.md), coloured by how much stress it saw, least first.</p>\n",
      c.episodes);
  out += "<div class=\"legend\">";
  for (int r = 0; r <= static_cast<int>(StressRank::kBoth); ++r) {
    out += fmt::format("<span class=\"r{}\">{}</span>", r,
                       esc(stress_rank_name(static_cast<StressRank>(r))));
  }
  out += "</div>\n<div class=\"tiles\">";
  for (const CoverageEntry& e : c.clauses) {
    out +=
        fmt::format("<div class=\"tile r{}\" title=\"{}\">{}<small>{}</small></div>",
                    static_cast<int>(stress_rank(e.counters)),
                    esc(stress_rank_name(stress_rank(e.counters))), esc(e.clause), esc(e.article));
  }
  out += "</div>\n";
  out += fmt::format("<details><summary>Counters of the {} clauses</summary>\n", c.clauses.size());
  out +=
      "<table><thead><tr><th>clause</th><th>article</th><th>stress</th><th>permitted</th>"
      "<th>refused</th><th>near margin</th><th>tallies</th><th>amended</th><th>applied</th>"
      "</tr></thead><tbody>\n";
  for (const CoverageEntry& e : c.clauses) {
    const std::string article =
        e.article_title.empty() ? e.article : e.article + " " + e.article_title;
    out += fmt::format("<tr><td><code>{}</code></td><td>{}</td><td class=\"r{} who\">{}</td>",
                       esc(e.clause), esc(article), static_cast<int>(stress_rank(e.counters)),
                       esc(stress_rank_name(stress_rank(e.counters))));
    for (int k = 0; k < kCoverageCounterCount; ++k) {
      out += fmt::format("<td class=\"n\">{}</td>", e.counters.n[static_cast<std::size_t>(k)]);
    }
    out += "</tr>\n";
  }
  out += "</tbody></table>\n</details>\n";
}

void record_section(std::string& out, const ReportRecord& r) {
  out += fmt::format("<section class=\"record s{}\" id=\"{}\">\n", r.severity, esc(r.exploit_id));
  out += fmt::format("<h3>{} &middot; {}<span class=\"sev\">severity {}</span></h3>\n",
                     esc(r.exploit_id), esc(r.name), r.severity);
  out += fmt::format("<p>{}</p>\n<dl class=\"kv\">", esc(r.summary));
  out += fmt::format("<dt>category</dt><dd>{}</dd>", esc(r.category));
  out += "<dt>clauses</dt><dd>";
  for (std::size_t i = 0; i < r.clauses.size(); ++i) {
    out += fmt::format("{}<code>{}</code>", i == 0 ? "" : " ", esc(r.clauses[i]));
  }
  out += "</dd>";
  out += fmt::format("<dt>proposed guard</dt><dd><code>{}</code></dd>", esc(r.proposed_guard));
  out += fmt::format("<dt>seen</dt><dd>{} time(s); first in {}, seed {}, turn {}</dd>",
                     r.occurrences, esc(r.first_matchup), r.first_seed, r.first_turn);
  out += fmt::format("<dt>fingerprint</dt><dd><code>{}</code> ({})</dd>", esc(r.fingerprint),
                     esc(r.status));
  if (!r.verdict.empty()) out += fmt::format("<dt>replay</dt><dd>{}</dd>", esc(r.verdict));
  out += "</dl>\n";
  if (!r.headline.empty()) {
    out += "<ul>";
    for (const std::string& h : r.headline) out += fmt::format("<li>{}</li>", esc(h));
    out += "</ul>\n";
  }
  if (!r.explain_note.empty())
    out += fmt::format("<p class=\"note\">{}</p>\n", esc(r.explain_note));
  if (!r.timeline.empty()) {
    out +=
        "<table><thead><tr><th>turn</th><th>who</th><th>what</th><th>ruling</th>"
        "<th>clause</th><th>article</th><th>essential</th></tr></thead><tbody>\n";
    for (const ReportTimelineEntry& e : r.timeline) {
      out += fmt::format(
          "<tr class=\"{}\"><td class=\"n\">{}</td><td class=\"who\">{}</td><td>{}</td><td>{}</td>"
          "<td>{}</td><td>{}</td><td>{}</td></tr>\n",
          e.essential > 0 ? "essential" : esc(e.kind), e.turn, esc(e.who), esc(e.what),
          esc(e.ruling), e.clause.empty() ? "" : "<code>" + esc(e.clause) + "</code>",
          esc(e.article), e.steps > 0 ? fmt::format("{} of {}", e.essential, e.steps) : "");
    }
    out += "</tbody></table>\n";
  }
  out += "</section>\n";
}

void records_section(std::string& out, const ReportModel& m) {
  out += "<h2 id=\"records\">Exploit records</h2>\n";
  if (m.records.empty()) {
    out += "<p class=\"note\">No records: the kernel held, or the red team needs a raise.</p>\n";
    return;
  }
  // Where the records came from: the folder's files, or the store's rows
  // (each read from the file its path names).
  out += m.origin == ReportOrigin::kRunStore
             ? "<p class=\"note\">One section per record of the run (the store's "
               "<code>run_records</code>, each read from the file its <code>records.path</code> "
               "names: docs/store-format.md, docs/record-format.md), "
             : "<p class=\"note\">One section per record (exploits/*.json, "
               "docs/record-format.md), ";
  out +=
      "with its reproduction told as a timeline by <code>explain</code> "
      "(docs/explain-format.md); highlighted lines hold steps without which the record no "
      "longer reproduces.</p>\n<ul class=\"toc\">";
  for (const ReportRecord& r : m.records) {
    out += fmt::format("<li><a href=\"#{}\">{}</a> {} (severity {})</li>", esc(r.exploit_id),
                       esc(r.exploit_id), esc(r.name), r.severity);
  }
  out += "</ul>\n";
  for (const ReportRecord& r : m.records) record_section(out, r);
}

}  // namespace

std::string render_report_html(const ReportModel& m) {
  std::string out;
  out.reserve(embedded_chart_js().size() + 262144);
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += fmt::format("<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n",
                     kContentSecurityPolicy);
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += fmt::format("<title>fable-selfplay report: {} v{}</title>\n", esc(m.kernel_name),
                     esc(m.kernel_version));
  out += "<script>";
  out += report_assets::check_js();
  out += "</script>\n<style>";
  out += report_assets::style_css();
  out += "</style>\n</head>\n<body data-check=\"pending\">\n<main>\n";
  header(out, m);
  capture_section(out, m);
  welfare_section(out, m);
  coverage_section(out, m);
  records_section(out, m);
  out += fmt::format(
      "<footer>Made by fable-selfplay {} from files only; this page makes no network request "
      "(its Content-Security-Policy refuses every one). Charts: Chart.js v{} (MIT licence), "
      "inlined.</footer>\n</main>\n",
      FABLE_VERSION, embedded_chart_js_version());
  out += "<script id=\"report-data\" type=\"application/json\">";
  out += script_safe_json(page_data(m).dump(-1, ' ', false, json::error_handler_t::replace));
  out += "</script>\n<script>\n";
  out += embedded_chart_js();
  out += "\n</script>\n<script>";
  out += report_assets::charts_js();
  out += "</script>\n</body>\n</html>\n";
  return out;
}

}  // namespace fable
