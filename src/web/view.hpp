// The read-only web view and its Atom feeds, served by signalmond: briefs with their ledgers, a
// ledger page with its chart, a brief's hits with the matched words highlighted, full-text search
// and feed health. Every request reads the store through a read-only connection of its own, so
// the HTTP threads never share the daemon's connection.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "store/store.hpp"
#include "web/http.hpp"

namespace signalmon::web {

// What the pages show of a brief that the store does not hold: the rules' words for it.
struct BriefInfo {
    std::string id;
    std::string title;
    std::map<std::string, std::string> says;  // signal id → its `says:`
};

class WebView {
public:
    // open_store opens the configured store for reading, once per request (any backend).
    WebView(config::WebConfig config, std::function<std::unique_ptr<store::Store>()> open_store);

    // The briefs of the rules in force; the daemon calls it at start and after each good reload.
    void set_briefs(std::vector<BriefInfo> briefs);

    // The page or feed for a path under base_path; nullopt for other paths. Throws StoreError
    // when the store cannot be read.
    std::optional<HttpResponse> handle(const HttpRequest& request) const;

private:
    std::vector<BriefInfo> briefs() const;
    // The absolute URL of a path under base_path: public_url's, else the request's Host header's.
    std::string absolute(const HttpRequest& request, std::string_view path) const;

    config::WebConfig m_config;
    std::function<std::unique_ptr<store::Store>()> m_open_store;
    mutable std::mutex m_mutex;  // guards m_briefs: set by the daemon loop, read by HTTP threads
    std::vector<BriefInfo> m_briefs;
};

}  // namespace signalmon::web
