// Text for a terminal: spammers write in every script, and an analyst reads each in its own.
// Well-formed UTF-8 is shown as it is; what a terminal would act on instead of showing (C0 and C1
// controls, DEL, the bidirectional overrides and isolates that reorder a line) and bytes that are
// not UTF-8 become \xNN or \u{NNNN}, so a cell can neither move the cursor nor pose as another
// cell. Widths are display columns (East Asian wide and fullwidth characters take two, combining
// marks and other zero-width characters none), as a terminal lays them out, so columns align.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace spampot::intel {

std::string printable(std::string_view raw);

// Columns `utf8` (printable() text) takes on a terminal.
std::size_t display_width(std::string_view utf8);

// `utf8` cut to at most `columns` display columns at a character boundary, with "~" marking the
// cut; then padded with spaces to exactly `columns` when `pad`.
std::string fit_columns(std::string_view utf8, std::size_t columns, bool pad);

}  // namespace spampot::intel
