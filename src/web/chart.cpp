#include "web/chart.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "web/html.hpp"

namespace spampot::web {

namespace {

std::string number(double v) { return v == std::floor(v) ? fmt::format("{:.0f}", v) : fmt::format("{:.2f}", v); }

}  // namespace

std::string column_chart(std::string_view title, const std::vector<bar>& bars) {
  constexpr double kWidth = 720, kHeight = 160, kTop = 18, kBottom = 20;
  double max = 0, total = 0;
  for (const auto& b : bars) {
    max = std::max(max, b.value);
    total += b.value;
  }
  std::string svg = fmt::format(
      "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 {} {}\" data-total=\"{}\" data-bars=\"{}\" "
      "aria-label=\"{}\"><title>{}</title>",
      kWidth, kHeight, number(total), bars.size(), escape(title), escape(title));
  svg += fmt::format("<text class=\"axis\" x=\"0\" y=\"12\">max {}</text>", number(max));
  if (!bars.empty()) {
    const double slot = kWidth / static_cast<double>(bars.size());
    const double plot = kHeight - kTop - kBottom;
    for (std::size_t i = 0; i < bars.size(); ++i) {
      const double h = max > 0 ? plot * bars[i].value / max : 0;
      svg += fmt::format(
          "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" data-value=\"{}\"><title>{}: {}</title></rect>",
          slot * static_cast<double>(i) + 0.5, kTop + plot - h, std::max(slot - 1.0, 0.5), h, number(bars[i].value),
          escape(bars[i].label), number(bars[i].value));
    }
    svg += fmt::format("<text class=\"axis\" x=\"0\" y=\"{}\">{}</text>", kHeight - 4, escape(bars.front().label));
    svg += fmt::format("<text class=\"axis\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", kWidth, kHeight - 4,
                       escape(bars.back().label));
  }
  return svg + "</svg>";
}

std::string bar_list(std::string_view title, const std::vector<bar>& bars) {
  constexpr double kWidth = 720, kRow = 18, kLabel = 300;
  double max = 0, total = 0;
  for (const auto& b : bars) {
    max = std::max(max, b.value);
    total += b.value;
  }
  const double height = kRow * static_cast<double>(bars.size()) + 4;
  std::string svg = fmt::format(
      "<svg class=\"chart bars\" role=\"img\" viewBox=\"0 0 {} {}\" data-total=\"{}\" data-bars=\"{}\" "
      "aria-label=\"{}\"><title>{}</title>",
      kWidth, height, number(total), bars.size(), escape(title), escape(title));
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const double y = kRow * static_cast<double>(i) + 2;
    const double w = max > 0 ? (kWidth - kLabel - 60) * bars[i].value / max : 0;
    // A label is cut to what fits: the whole text is in the table beside the chart.
    std::string label = bars[i].label.size() > 48 ? bars[i].label.substr(0, 45) + "..." : bars[i].label;
    svg += fmt::format(
        "<text class=\"label\" x=\"0\" y=\"{:.1f}\">{}</text><rect x=\"{}\" y=\"{:.1f}\" width=\"{:.1f}\" "
        "height=\"{}\" data-value=\"{}\"><title>{}: {}</title></rect><text class=\"axis\" x=\"{:.1f}\" y=\"{:.1f}\">{}</text>",
        y + 12, escape(label), kLabel, y, w, kRow - 4, number(bars[i].value), escape(bars[i].label),
        number(bars[i].value), kLabel + w + 4, y + 12, number(bars[i].value));
  }
  return svg + "</svg>";
}

}  // namespace spampot::web
