// The source adapter table. Each adapter's steps live beside the format helpers they use
// (feed/parse_formats.hpp); this table is the one place that says which source has which.
#include "feed/source_adapter.hpp"

#include <algorithm>
#include <array>

#include "feed/parse_formats.hpp"
#include "feed/readable.hpp"

namespace signalmon::feed {
namespace {

constexpr std::array<std::string_view, 4> k_edgar_fields{"accession_number", "cik", "company", "form_type"};
constexpr std::array<std::string_view, 4> k_federal_register_fields{"agency", "document_number", "topics", "type"};

const std::array<SourceAdapter, 2> k_adapters{
    SourceAdapter{.name = "sec-edgar",
                  .fields = k_edgar_fields,
                  .reads_xml = edgar_reads_xml,
                  .complete_xml_item = edgar_complete_item,
                  .json_feed = nullptr,
                  .document_link = edgar_primary_document},
    // The RSS of a Federal Register search and its keyless API (documents.json?conditions[term]=…
    // &conditions[agencies][]=…), read alike.
    SourceAdapter{.name = "federal-register",
                  .fields = k_federal_register_fields,
                  .reads_xml = federal_register_reads_xml,
                  .complete_xml_item = federal_register_complete_item,
                  .json_feed = federal_register_json_feed,
                  .document_link = nullptr},
};

}  // namespace

std::span<const SourceAdapter> source_adapters() { return k_adapters; }

const SourceAdapter* source_adapter(std::string_view name) {
    const auto found = std::ranges::find(k_adapters, name, &SourceAdapter::name);
    return found == k_adapters.end() ? nullptr : &*found;
}

std::vector<std::string_view> item_field_names() {
    std::vector<std::string_view> names;
    for (const SourceAdapter& adapter : k_adapters)
        names.insert(names.end(), adapter.fields.begin(), adapter.fields.end());
    std::ranges::sort(names);
    const auto [first, last] = std::ranges::unique(names);
    names.erase(first, last);
    return names;
}

}  // namespace signalmon::feed
