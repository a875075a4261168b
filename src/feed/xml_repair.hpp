// Internal to the feed module: the rewrites a feed's XML needs before a strict XML parser reads it
// the way its publisher meant.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace signalmon::feed {

// Entity limits for a document's internal DTD subset (<!DOCTYPE rss [<!ENTITY name "value">]>):
// at most k_max_dtd_entities definitions of at most k_max_dtd_entity_bytes each, and expansions
// stop adding text once they have added k_max_dtd_expansion_bytes, or as many bytes as the
// document has, in total: no billion laughs, and the output stays linear in the input.
inline constexpr std::size_t k_max_dtd_entities = 64;
inline constexpr std::size_t k_max_dtd_entity_bytes = 1024;
inline constexpr std::size_t k_max_dtd_expansion_bytes = 1024 * 1024;

// Returns the UTF-8 document with:
// - HTML's named references (&nbsp;, &rsquo;), which feeds use without declaring them, and the
//   document's own internal DTD entities replaced by what they stand for; any other named
//   reference is dropped rather than left as literal "&name;" text;
// - numeric references as XML accepts them: "&#X41;" as "&#x41;", 128-159 as the Windows-1252
//   characters feeds mean by them, impossible values as U+FFFD;
// - a CDATA section that is never closed ended at its element's end tag.
// CDATA sections and comments are otherwise copied untouched. Each repair worth knowing about adds
// a line to warnings.
std::string repair_xml(std::string_view utf8, std::vector<std::string>& warnings);

}  // namespace signalmon::feed
