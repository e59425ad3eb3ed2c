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

std::string stacked_chart(std::string_view title, const std::vector<std::string>& labels,
                          const std::vector<series>& stacks, const series& line) {
  static const char* kColours[] = {"#c0392b", "#2e6fb7", "#d68910", "#239b56", "#7d3c98",
                                   "#17a589", "#a04000", "#5d6d7e", "#95a5a6"};
  constexpr double kWidth = 720, kHeight = 170, kTop = 18, kBottom = 20;
  const std::size_t n = labels.size();
  std::vector<double> sums(n, 0);
  double max = 0, total = 0;
  for (const auto& s : stacks)
    for (std::size_t i = 0; i < n && i < s.values.size(); ++i) sums[i] += s.values[i];
  for (std::size_t i = 0; i < n; ++i) {
    max = std::max(max, sums[i]);
    total += sums[i];
  }
  for (std::size_t i = 0; i < n && i < line.values.size(); ++i) max = std::max(max, line.values[i]);
  std::string svg = fmt::format(
      "<svg class=\"chart stacked\" role=\"img\" viewBox=\"0 0 {} {}\" data-total=\"{}\" data-bars=\"{}\" "
      "aria-label=\"{}\"><title>{}</title><text class=\"axis\" x=\"0\" y=\"12\">max {}</text>",
      kWidth, kHeight, number(total), n, escape(title), escape(title), number(max));
  const double slot = n ? kWidth / static_cast<double>(n) : kWidth;
  const double plot = kHeight - kTop - kBottom;
  auto y_of = [&](double v) { return kTop + plot - (max > 0 ? plot * v / max : 0); };
  std::vector<double> base(n, 0);
  for (std::size_t k = 0; k < stacks.size(); ++k) {
    const auto& s = stacks[k];
    double sum = 0;
    for (double v : s.values) sum += v;
    svg += fmt::format("<g data-series=\"{}\" data-total=\"{}\" fill=\"{}\">", escape(s.name), number(sum),
                       kColours[std::min(k, std::size(kColours) - 1)]);
    for (std::size_t i = 0; i < n && i < s.values.size(); ++i) {
      if (s.values[i] <= 0) continue;
      const double top = y_of(base[i] + s.values[i]);
      svg += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\"><title>{} {}: {}</title></rect>",
                         slot * static_cast<double>(i) + 0.5, top, std::max(slot - 1.0, 0.5), y_of(base[i]) - top,
                         escape(labels[i]), escape(s.name), number(s.values[i]));
      base[i] += s.values[i];
    }
    svg += "</g>";
  }
  if (!line.values.empty() && n > 0) {
    double sum = 0;
    std::string points;
    for (std::size_t i = 0; i < n && i < line.values.size(); ++i) {
      sum += line.values[i];
      points += fmt::format("{:.1f},{:.1f} ", slot * (static_cast<double>(i) + 0.5), y_of(line.values[i]));
    }
    svg += fmt::format("<polyline class=\"line\" data-series=\"{}\" data-total=\"{}\" fill=\"none\" stroke=\"#20252c\" "
                       "stroke-width=\"1.5\" points=\"{}\"><title>{}</title></polyline>",
                       escape(line.name), number(sum), points, escape(line.name));
  }
  if (n > 0) {
    svg += fmt::format("<text class=\"axis\" x=\"0\" y=\"{}\">{}</text>", kHeight - 4, escape(labels.front()));
    svg += fmt::format("<text class=\"axis\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", kWidth, kHeight - 4,
                       escape(labels.back()));
  }
  svg += "</svg><p class=\"legend\">";
  for (std::size_t k = 0; k < stacks.size(); ++k)
    svg += fmt::format("<span class=\"key\"><svg width=\"10\" height=\"10\" aria-hidden=\"true\"><rect width=\"10\" "
                       "height=\"10\" fill=\"{}\"/></svg> {}</span>",
                       kColours[std::min(k, std::size(kColours) - 1)], escape(stacks[k].name));
  if (!line.values.empty())
    svg += fmt::format("<span class=\"key\"><svg width=\"14\" height=\"10\" aria-hidden=\"true\"><line x1=\"0\" y1=\"5\" "
                       "x2=\"14\" y2=\"5\" stroke=\"#20252c\" stroke-width=\"2\"/></svg> {}</span>",
                       escape(line.name));
  return svg + "</p>";
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
