// The readable text of a web page (an item's article, a filing's document) for rules to match.
#pragma once

#include <string>
#include <string_view>

#include "feed/html_text.hpp"

namespace signalmon::feed {

// Decodes the page (feed/charset.hpp rules, with the HTTP Content-Type), keeps <article>, else
// <main>, else <body>, drops navigation boilerplate (nav, header, footer, aside, form, menu,
// noscript, svg, template, button) and returns the rest as plain text (feed/html_text.hpp).
std::string readable_text(std::string_view page, std::string_view content_type,
                          std::size_t max_bytes = k_max_text_bytes);

// The primary document of an SEC EDGAR filing index page ("…-index.htm"): the first document of
// its file table, as an absolute URL (the inline XBRL viewer's "/ix?doc=" prefix removed); empty
// when there is none.
std::string edgar_primary_document(std::string_view index_html, std::string_view index_url);

}  // namespace signalmon::feed
