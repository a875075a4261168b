// SVG bars for confirm against kill evidence over time.
#include "web/chart.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "feed/date.hpp"
#include "score/evaluate.hpp"
#include "web/html.hpp"

namespace signalmon::web {
namespace {

constexpr double k_width = 640;
constexpr double k_height = 220;
constexpr double k_left = 40;
constexpr double k_right = 10;
constexpr double k_top = 24;
constexpr double k_bottom = 28;

std::string day_of(feed::UnixTime time) { return feed::format_rfc3339(time).substr(0, 10); }

}  // namespace

std::string evidence_chart(const ledger::BriefLedger& ledger) {
    const std::size_t confirm = score::kind_index(rules::Kind::confirm);
    const std::size_t kill = score::kind_index(rules::Kind::kill);
    std::int64_t most = 1;
    for (const auto& period : ledger.periods) most = std::max({most, period.stories[confirm], period.stories[kill]});
    const double plot_width = k_width - k_left - k_right;
    const double plot_height = k_height - k_top - k_bottom;
    const double slot = plot_width / static_cast<double>(std::max<std::size_t>(1, ledger.periods.size()));
    const double bar = slot * 0.4;
    const double baseline = k_top + plot_height;

    std::string svg = fmt::format(
        R"(<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="chart-title" )"
        R"(xmlns="http://www.w3.org/2000/svg"><title id="chart-title">Confirm and kill stories per period for {}</title>)",
        k_width, k_height, escape(ledger.brief));
    svg += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" class="axis"/>)", k_left, baseline, k_width - k_right,
                       baseline);
    svg += fmt::format(R"(<text x="{}" y="{}" text-anchor="end" class="label">{}</text>)", k_left - 4, k_top + 4, most);
    svg += fmt::format(R"(<text x="{}" y="{}" text-anchor="end" class="label">0</text>)", k_left - 4, baseline);
    for (std::size_t i = 0; i < ledger.periods.size(); ++i) {
        const auto& period = ledger.periods[i];
        const double x = k_left + slot * static_cast<double>(i) + slot * 0.1;
        for (const auto& [index, name, offset] : {std::tuple{confirm, "confirm", 0.0}, std::tuple{kill, "kill", bar}}) {
            const std::int64_t count = period.stories[index];
            const double height = plot_height * static_cast<double>(count) / static_cast<double>(most);
            svg +=
                fmt::format(R"(<rect class="{}" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" data-count="{}">)"
                            R"(<title>{}: {} {}</title></rect>)",
                            name, x + offset, baseline - height, bar, height, count, day_of(period.start), count, name);
        }
    }
    if (!ledger.periods.empty()) {
        svg += fmt::format(R"(<text x="{}" y="{}" class="label">{}</text>)", k_left, k_height - 8,
                           day_of(ledger.periods.front().start));
        svg += fmt::format(R"(<text x="{}" y="{}" text-anchor="end" class="label">{}</text>)", k_width - k_right,
                           k_height - 8, day_of(ledger.periods.back().start));
    }
    // The legend names each colour in words, so the chart reads without telling red from green.
    svg += fmt::format(R"(<rect class="confirm" x="{}" y="4" width="12" height="12"/>)"
                       R"(<text x="{}" y="14" class="label">confirm</text>)"
                       R"(<rect class="kill" x="{}" y="4" width="12" height="12"/>)"
                       R"(<text x="{}" y="14" class="label">kill</text></svg>)",
                       k_left, k_left + 16, k_left + 90, k_left + 106);
    return svg;
}

}  // namespace signalmon::web
