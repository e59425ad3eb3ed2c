// Charts as SVG drawn here, on the server: no script, no library, nothing fetched. Every label
// goes through escape(); numbers are numbers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace spampot::web {

struct bar {
  std::string label;  // shown under the first and last bars and in each bar's tooltip
  double value = 0;
};

// Columns over time (messages per hour, per day): `bars` oldest first. The chart carries its
// figures for tests and screen readers: data-total on the <svg>, data-value on each bar.
std::string column_chart(std::string_view title, const std::vector<bar>& bars);

// Columns over time stacked by series (messages per trap domain), with a line over them (sessions).
// `labels` name the slots, oldest first; each series has a value per slot. A legend names the
// series; data-series and data-total carry each series' sum for tests and screen readers.
struct series {
  std::string name;
  std::vector<double> values;
};
std::string stacked_chart(std::string_view title, const std::vector<std::string>& labels,
                          const std::vector<series>& stacks, const series& line);

// Horizontal bars for a ranking (a report's count column), largest first as given.
std::string bar_list(std::string_view title, const std::vector<bar>& bars);

}  // namespace spampot::web
