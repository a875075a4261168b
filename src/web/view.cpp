// Routing and pages of the web view. Pages are plain HTML with a small inline style sheet: no
// script, nothing fetched from elsewhere, readable at phone width. Text from feeds is escaped
// (web/html) and the Content-Security-Policy forbids script outright, so a missed escape still
// cannot run any.
#include "web/view.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <ranges>

#include "alert/crypto.hpp"
#include "config/units.hpp"
#include "feed/date.hpp"
#include "ledger/ledger.hpp"
#include "score/evaluate.hpp"
#include "store/store.hpp"
#include "web/atom.hpp"
#include "web/chart.hpp"
#include "web/html.hpp"
#include "web/stories.hpp"

namespace signalmon::web {
namespace {

constexpr std::size_t k_stories_per_page = 50;
// A story holds a few signal rows: read enough rows for the stories shown.
constexpr std::int64_t k_rows_per_story = 16;
constexpr std::int64_t k_search_results = 50;

constexpr std::string_view k_style = R"css(
body{font:16px/1.45 system-ui,sans-serif;margin:0 auto;max-width:52rem;padding:0 .75rem 2rem;color:#1f2328}
nav{display:flex;gap:1rem;flex-wrap:wrap;padding:.75rem 0;border-bottom:1px solid #d0d7de;margin-bottom:1rem}
a{color:#0550ae}h1{font-size:1.5rem;margin:.5rem 0}h2{font-size:1.15rem;margin:1.25rem 0 .5rem}
.brief,.story,.result{border:1px solid #d0d7de;border-radius:6px;padding:.6rem .8rem;margin:.6rem 0}
.verdict{font-weight:600}.muted{color:#57606a;font-size:.9rem}.link{overflow-wrap:anywhere}
.kind{display:inline-block;border-radius:4px;padding:0 .4rem;font-size:.85rem;font-weight:600;color:#fff}
.kind-confirm{background:#1a7f37}.kind-kill{background:#cf222e}.kind-watch{background:#6e7781}
mark{background:#ffe58f;padding:0 .1rem}.table{overflow-x:auto}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #d0d7de}
td.n,th.n{text-align:right}.chart{width:100%;height:auto;max-height:16rem}
.chart rect.confirm{fill:#1a7f37}.chart rect.kill{fill:#cf222e}.chart .axis{stroke:#57606a}
.chart .label{font-size:12px;fill:#57606a}form{display:flex;gap:.5rem;flex-wrap:wrap;align-items:center}
input[type=search]{flex:1 1 12rem;font-size:1rem;padding:.3rem}
@media (max-width:600px){body{font-size:15px}td,th{padding:.2rem .3rem}}
)css";

std::int64_t now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string when(feed::UnixTime time) {
    std::string text = feed::format_rfc3339(time);
    text[10] = ' ';
    return text.substr(0, 16) + " UTC";
}

std::string kind_badge(std::string_view kind) {
    return fmt::format(R"(<span class="kind kind-{0}">{0}</span>)", escape(kind));
}

std::string story_link(std::string_view title, std::string_view link, std::span<const std::string> terms) {
    const std::string href = safe_href(link);
    const std::string text = highlight(title, terms);
    return href.empty() ? text : fmt::format(R"(<a href="{}" rel="noreferrer">{}</a>)", href, text);
}

HttpResponse html(std::string body) {
    return {.status = 200,
            .content_type = "text/html; charset=utf-8",
            .body = std::move(body),
            .headers = {{"Content-Security-Policy",
                         "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; "
                         "base-uri 'none'; frame-ancestors 'none'"},
                        {"X-Content-Type-Options", "nosniff"},
                        {"Referrer-Policy", "no-referrer"}}};
}

// ETag (a digest of the body) and Last-Modified; 304 when the client's copy is still current.
HttpResponse conditional(const HttpRequest& request, HttpResponse response, feed::UnixTime updated) {
    const std::string etag = "\"" + alert::sha256_hex(response.body).substr(0, 32) + "\"";
    response.headers.emplace_back("ETag", etag);
    if (updated > 0) response.headers.emplace_back("Last-Modified", http_date(updated));
    bool current = false;
    if (const std::string none_match = request.header("if-none-match"); !none_match.empty()) {
        current = none_match == "*" || none_match.find(etag) != std::string::npos;  // W/"x" contains "x"
    } else if (const std::string since = request.header("if-modified-since"); !since.empty() && updated > 0) {
        const auto parsed = feed::parse_date(since);
        current = parsed && *parsed >= updated;
    }
    if (current) {
        response.status = 304;
        response.body.clear();
    }
    return response;
}

struct Page {
    const std::string& base;
    std::string title;
    std::string head = {};  // extra <head> content: feed links

    std::string render(std::string_view main) const {
        return fmt::format(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<title>{} · signalmon</title><style>{}</style>{}</head>\n<body><nav>"
            "<a href=\"{}/\">Briefs</a><a href=\"{}/search\">Search</a><a href=\"{}/health\">Feed health</a>"
            "<a href=\"{}/feeds/hits.atom\">Atom feed</a></nav><main>\n{}\n</main></body></html>\n",
            escape(title), k_style, head, base, base, base, base, main);
    }
};

std::string brief_path(const std::string& base, std::string_view brief) {
    return base + "/briefs/" + percent_encode(brief);
}

std::string totals_text(const ledger::BriefLedger& ledger) {
    std::string text;
    for (const rules::Kind kind : ledger::k_ledger_kinds) {
        text += fmt::format("{}{} {}", text.empty() ? "" : " · ", kind_badge(rules::kind_name(kind)),
                            ledger.totals[score::kind_index(kind)]);
    }
    return text;
}

const BriefInfo* find_brief(const std::vector<BriefInfo>& briefs, std::string_view id) {
    const auto found = std::ranges::find(briefs, id, &BriefInfo::id);
    return found == briefs.end() ? nullptr : &*found;
}

std::string brief_title(const std::vector<BriefInfo>& briefs, std::string_view id) {
    const BriefInfo* brief = find_brief(briefs, id);
    return brief != nullptr && !brief->title.empty() ? brief->title : std::string(id);
}

struct LedgerRequest {
    ledger::Options options;
    std::string since_text;
};

std::optional<LedgerRequest> ledger_request(const HttpRequest& request) {
    LedgerRequest parsed{.options = {.now = now_seconds()}, .since_text = request.parameter("since").value_or("90d")};
    const auto since = config::parse_duration(parsed.since_text);
    const auto by = ledger::period_named(request.parameter("by").value_or("week"));
    if (!since || !by) return std::nullopt;
    parsed.options.since = parsed.options.now - since->count();
    parsed.options.by = *by;
    return parsed;
}

// cppcheck-suppress constParameter ; the store's reads are non-const virtuals
std::string briefs_page(store::Store& store, const std::vector<BriefInfo>& briefs, const std::string& base) {
    const ledger::Options options{.since = now_seconds() - 90 * 86'400, .now = now_seconds()};
    std::vector<std::string> ids;
    ids.reserve(briefs.size());
    for (const BriefInfo& brief : briefs) ids.push_back(brief.id);
    const auto rows = store.ledger_hits({.since = options.since, .brief = ""});
    std::string main =
        "<h1>Briefs</h1>\n<p class=\"muted\">Distinct stories of evidence over the last 90 days; "
        "copies of one story count once.</p>\n";
    for (const ledger::BriefLedger& ledger : ledger::compute(rows, ids, options)) {
        const std::string path = brief_path(base, ledger.brief);
        main += fmt::format(
            "<section class=\"brief\" id=\"brief-{0}\"><h2><a href=\"{1}\">{2}</a></h2><p class=\"verdict\">{3}</p>"
            "<p>{4}</p><p class=\"muted\"><a href=\"{1}\">ledger</a> · <a href=\"{1}/hits\">hits</a> · "
            "<a href=\"{5}/feeds/{6}.atom\">Atom</a></p></section>\n",
            escape(ledger.brief), path, escape(brief_title(briefs, ledger.brief)), escape(ledger.verdict),
            totals_text(ledger), base, percent_encode(ledger.brief));
    }
    if (briefs.empty() && rows.empty()) main += "<p>No briefs and no evidence yet.</p>\n";
    return Page{.base = base, .title = "Briefs"}.render(main);
}

std::string strongest_list(const ledger::BriefLedger& ledger, rules::Kind kind) {
    const auto& stories = ledger.strongest[score::kind_index(kind)];
    std::string list = fmt::format("<h2>Strongest {} stories</h2>\n", rules::kind_name(kind));
    if (stories.empty()) return list + "<p class=\"muted\">None in this window.</p>\n";
    list += "<ol>\n";
    for (const ledger::Story& story : stories) {
        list += fmt::format("<li>{} score {} · {} <span class=\"muted\">{} · {}{}</span></li>\n",
                            kind_badge(rules::kind_name(kind)), story.score, story_link(story.title, story.link, {}),
                            escape(story.feed), when(story.evidence_at),
                            story.copies > 1 ? fmt::format(" · {} copies", story.copies) : "");
    }
    return list + "</ol>\n";
}

// cppcheck-suppress constParameter ; the store's reads are non-const virtuals
std::string ledger_page(store::Store& store, const std::vector<BriefInfo>& briefs, const std::string& base,
                        std::string_view id, const LedgerRequest& request) {
    const auto rows = store.ledger_hits({.since = request.options.since, .brief = std::string(id)});
    const std::vector<std::string> ids{std::string(id)};
    const ledger::BriefLedger ledger = ledger::compute(rows, ids, request.options).front();
    const std::string path = brief_path(base, id);
    std::string main = fmt::format(
        "<h1>{}</h1>\n<p class=\"verdict\" id=\"verdict\">{}</p>\n<p>{}</p>\n"
        "<form method=\"get\" action=\"{}\"><label>Window <select name=\"since\">",
        escape(brief_title(briefs, id)), escape(ledger.verdict), totals_text(ledger), path);
    for (const std::string_view since : {"30d", "90d", "180d", "365d"}) {
        main += fmt::format("<option{}>{}</option>", since == request.since_text ? " selected" : "", since);
    }
    main += "</select></label> <label>by <select name=\"by\">";
    for (const ledger::Period period : {ledger::Period::day, ledger::Period::week, ledger::Period::month}) {
        main += fmt::format("<option{}>{}</option>", period == request.options.by ? " selected" : "",
                            ledger::period_name(period));
    }
    main += "</select></label> <button type=\"submit\">Show</button></form>\n" + evidence_chart(ledger);
    main +=
        "\n<div class=\"table\"><table id=\"periods\"><thead><tr><th>period from</th><th class=\"n\">confirm</th>"
        "<th class=\"n\">kill</th><th class=\"n\">watch</th></tr></thead><tbody>\n";
    for (const ledger::PeriodCounts& period : ledger.periods | std::views::reverse) {
        const auto& counts = period.stories;
        if (std::ranges::all_of(counts, [](std::int64_t count) { return count == 0; })) continue;
        main += fmt::format(
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
            feed::format_rfc3339(period.start).substr(0, 10), counts[score::kind_index(rules::Kind::confirm)],
            counts[score::kind_index(rules::Kind::kill)], counts[score::kind_index(rules::Kind::watch)]);
    }
    main += "</tbody></table></div>\n";
    for (const rules::Kind kind : ledger::k_ledger_kinds) main += strongest_list(ledger, kind);
    const std::string feed = base + "/feeds/" + percent_encode(id);
    main += fmt::format(
        "<p><a href=\"{0}/hits\">All hits with explanations</a> · Atom: <a href=\"{1}.atom\">all</a>, "
        "<a href=\"{1}/confirm.atom\">confirm</a>, <a href=\"{1}/kill.atom\">kill</a>, "
        "<a href=\"{1}/watch.atom\">watch</a></p>\n",
        path, feed);
    const std::string head = fmt::format(
        R"(<link rel="alternate" type="application/atom+xml" title="{}" href="{}.atom">)", escape(id), feed);
    return Page{.base = base, .title = brief_title(briefs, id), .head = head}.render(main);
}

std::string hits_page(store::Store& store, const std::vector<BriefInfo>& briefs, const std::string& base,
                      std::string_view id) {
    const BriefInfo* brief = find_brief(briefs, id);
    const auto stories =
        group_stories(store.query_hits({.since = std::nullopt,
                                        .brief = std::string(id),
                                        .kind = "",
                                        .min_score = std::nullopt,
                                        .limit = static_cast<std::int64_t>(k_stories_per_page) * k_rows_per_story}),
                      k_stories_per_page);
    std::string main = fmt::format(
        "<h1>Hits: {}</h1>\n<p class=\"muted\"><a href=\"{}\">ledger</a> · newest first; "
        "the words that matched are highlighted</p>\n",
        escape(brief_title(briefs, id)), brief_path(base, id));
    for (const HitStory& story : stories) {
        const store::HitRow& hit = story.first();
        const std::vector<std::string> terms = story.terms();
        std::string kinds;
        for (const std::string& kind : story.kinds) {
            kinds += kind_badge(kind) + fmt::format(" {} ", story.scores[score::kind_index(*rules::kind_named(kind))]);
        }
        main +=
            fmt::format("<article class=\"story\"><h2>{}</h2><p>{}<span class=\"muted\">{} · found {}{}</span></p><ul>",
                        story_link(hit.title, hit.link, terms), kinds, escape(hit.feed), when(hit.found_at),
                        hit.replayed ? " · by replay" : "");
        for (const store::HitRow& row : story.signals) {
            std::string says;
            if (brief != nullptr) {
                if (const auto found = brief->says.find(row.signal);
                    found != brief->says.end() && !found->second.empty())
                    says = " — " + escape(found->second);
            }
            main += fmt::format("<li>{} <b>{}</b> (weight {}){}<br><span class=\"snippet\">{}</span></li>",
                                kind_badge(row.kind), escape(row.signal), row.weight, says,
                                highlight(row.snippet, row.terms));
        }
        main += "</ul></article>\n";
    }
    if (stories.empty()) main += "<p>No hits stored for this brief.</p>\n";
    return Page{.base = base, .title = "Hits: " + brief_title(briefs, id)}.render(main);
}

std::string search_page(store::Store& store, const std::string& base, const std::string& words) {
    std::string main = fmt::format(
        "<h1>Search stored items</h1>\n<form method=\"get\" action=\"{}/search\" role=\"search\">"
        "<input type=\"search\" name=\"q\" value=\"{}\" aria-label=\"words\"> <button type=\"submit\">Search</button>"
        "</form>\n<p class=\"muted\">Every stored item, hit or not; all the words must occur.</p>\n",
        base, escape(words));
    if (!words.empty()) {
        const auto results = store.search_items(words, k_search_results);
        main += fmt::format("<p id=\"count\">{} items</p>\n", results.size());
        for (const store::SearchResult& result : results) {
            std::string hit_briefs;
            for (const std::string& brief : result.briefs) {
                hit_briefs += fmt::format(" <a href=\"{}/hits\">{}</a>", brief_path(base, brief), escape(brief));
            }
            main += fmt::format("<div class=\"result\"><h2>{}</h2><p>{}</p><p class=\"muted\">{} · {}{}</p></div>\n",
                                story_link(result.title, result.link, {}), highlight_excerpt(result.excerpt),
                                escape(result.feed), when(result.published.value_or(result.first_seen)),
                                hit_briefs.empty() ? std::string(" · no hits") : " · hits:" + hit_briefs);
        }
    }
    return Page{.base = base, .title = "Search"}.render(main);
}

std::string health_page(store::Store& store, const std::string& base) {
    std::string main =
        "<h1>Feed health</h1>\n<div class=\"table\"><table id=\"feeds\"><thead><tr><th>feed</th>"
        "<th>state</th><th>last success</th><th class=\"n\">items</th><th>last error</th></tr></thead>"
        "<tbody>\n";
    const auto states = store.feed_states();
    if (!states) throw store::StoreError(states.error());
    for (const store::FeedState& state : *states) {
        const std::string status = !state.last_poll ? "not polled yet"
                                   : state.consecutive_failures > 0
                                       ? fmt::format("failing ({} in a row)", state.consecutive_failures)
                                       : "ok";
        main += fmt::format(
            "<tr><td>{}<br><span class=\"muted link\">{}</span></td><td>{}</td><td>{}</td><td class=\"n\">{}</td>"
            "<td>{}</td></tr>\n",
            escape(state.title.empty() ? state.id : state.title), escape(state.url), escape(status),
            state.last_success ? when(*state.last_success) : "never", state.item_count, escape(state.last_error));
    }
    main += "</tbody></table></div>\n";
    return Page{.base = base, .title = "Feed health"}.render(main);
}

}  // namespace

WebView::WebView(config::WebConfig config, std::function<std::unique_ptr<store::Store>()> open_store)
    : m_config(std::move(config)), m_open_store(std::move(open_store)) {}

void WebView::set_briefs(std::vector<BriefInfo> briefs) {
    const std::lock_guard lock(m_mutex);
    m_briefs = std::move(briefs);
}

std::vector<BriefInfo> WebView::briefs() const {
    const std::lock_guard lock(m_mutex);
    return m_briefs;
}

std::string WebView::absolute(const HttpRequest& request, std::string_view path) const {
    if (!m_config.public_url.empty()) return m_config.public_url + std::string(path);
    const std::string host = request.header("host");
    return "http://" + (host.empty() ? m_config.listen : host) + m_config.base_path + std::string(path);
}

std::optional<HttpResponse> WebView::handle(const HttpRequest& request) const {
    const std::string& base = m_config.base_path;
    if (!request.path.starts_with(base)) return std::nullopt;
    const std::string path = request.path.substr(base.size());
    if (!path.empty() && !path.starts_with('/')) return std::nullopt;  // "/basement" is not under "/base"
    const std::vector<BriefInfo> known = briefs();
    const std::unique_ptr<store::Store> opened = m_open_store();
    store::Store& store = *opened;
    // A brief is known if the rules have it or the store has a hit of it (rules change; hits stay).
    const auto brief_exists = [&](const std::string& id) {
        return find_brief(known, id) != nullptr ||
               !store
                    .query_hits({.since = std::nullopt, .brief = id, .kind = "", .min_score = std::nullopt, .limit = 1})
                    .empty();
    };

    if (path.empty() || path == "/") return html(briefs_page(store, known, base));
    if (path == "/search") return html(search_page(store, base, request.parameter("q").value_or("")));
    if (path == "/health") return html(health_page(store, base));
    if (path.starts_with("/briefs/")) {
        std::string id = path.substr(8);
        const bool hits = id.ends_with("/hits");
        if (hits) id.resize(id.size() - 5);
        if (id.empty() || id.find('/') != std::string::npos || !brief_exists(id)) return std::nullopt;
        if (hits) return html(hits_page(store, known, base, id));
        const auto ledger = ledger_request(request);
        if (!ledger) return plain_response(400, "since wants a duration such as 90d; by is day, week or month\n");
        return html(ledger_page(store, known, base, id, *ledger));
    }
    if (path.starts_with("/feeds/") && path.ends_with(".atom")) {
        const std::string name = path.substr(7, path.size() - 7 - 5);  // between "/feeds/" and ".atom"
        store::HitQuery query{.since = std::nullopt,
                              .brief = "",
                              .kind = "",
                              .min_score = std::nullopt,
                              .limit = static_cast<std::int64_t>(k_stories_per_page) * k_rows_per_story};
        AtomFeed feed{.key = "hits",
                      .title = "signalmon: all hits",
                      .self_url = absolute(request, path),
                      .page_url = absolute(request, "/")};
        if (name != "hits") {
            const std::size_t slash = name.find('/');
            query.brief = name.substr(0, slash);
            if (slash != std::string::npos) query.kind = name.substr(slash + 1);
            if (query.brief.empty() || !brief_exists(query.brief)) return std::nullopt;
            if (!query.kind.empty() && !rules::kind_named(query.kind)) return std::nullopt;
            feed.key = "brief/" + name;
            feed.title = "signalmon: " + brief_title(known, query.brief) +
                         (query.kind.empty() ? "" : " (" + query.kind + " evidence)");
            feed.page_url = absolute(request, "/briefs/" + percent_encode(query.brief) + "/hits");
        }
        const auto stories = group_stories(store.query_hits(query), k_stories_per_page);
        return conditional(
            request,
            {.status = 200, .content_type = "application/atom+xml; charset=utf-8", .body = atom_feed(feed, stories)},
            atom_updated(stories));
    }
    return std::nullopt;
}

}  // namespace signalmon::web
