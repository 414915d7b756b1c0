// Internal: the fixed parts of the HTML report (docs/report.md): its style
// sheet, the self-check script that runs first (it counts errors, console
// errors and blocked requests, and after the charts are drawn, the marks of
// every chart, then writes the verdict into <body data-check>), and the
// script that draws the charts from the page's JSON data with Chart.js.
#pragma once

#include <string_view>

namespace fable::report_assets {

std::string_view style_css();
std::string_view check_js();
std::string_view charts_js();

}  // namespace fable::report_assets
