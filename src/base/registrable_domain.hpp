// The registrable domain of a host name ("mail.spam.co.uk" -> "spam.co.uk"), by the Public Suffix
// List (libpsl, reading the system's list so a Debian update refreshes it). Reports and exports
// group sender domains this way, so a spammer's thousand throwaway subdomains count as one.
#pragma once

#include <string>
#include <string_view>

namespace spampot {

// Lower-cased; the name itself when it has no registrable part (a bare suffix, an IP literal,
// a name the list does not know): never empty for a non-empty input.
std::string registrable_domain(std::string_view host);

}  // namespace spampot
