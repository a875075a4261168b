// Runs FetchRequests through libcurl's multi interface and turns each finished transfer into a FetchOutcome.
#include "fetch/fetcher.hpp"
#include "text/ascii.hpp"
#include "text/controls.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <sys/socket.h>

#include <chrono>
#include <deque>
#include <unordered_map>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <iterator>
#include <memory>
#include <new>
#include <string_view>
#include <utility>

namespace signalmon::fetch {
namespace {

constexpr std::size_t k_kib = 1024;
constexpr std::size_t k_mib = 1024 * k_kib;

// curl_global_init must not race with any other curl call, so it runs exactly once per process,
// before the first handle exists; a function-local static gives that for free.
bool curl_ready() {
    static const bool ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
    return ready;
}

struct MultiDeleter {
    void operator()(CURLM* multi) const { curl_multi_cleanup(multi); }
};
struct SlistDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    return std::ranges::equal(a, b, [](char x, char y) { return text::ascii_lower(x) == text::ascii_lower(y); });
}

bool is_redirect(long status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

bool is_permanent_redirect(long status) { return status == 301 || status == 308; }

std::string describe_size(std::size_t bytes) {
    if (bytes >= k_mib && bytes % k_mib == 0) return std::to_string(bytes / k_mib) + " MiB";
    if (bytes >= k_kib && bytes % k_kib == 0) return std::to_string(bytes / k_kib) + " KiB";
    return std::to_string(bytes) + " bytes";
}

std::string describe_seconds(curl_off_t microseconds) {
    char text[32];
    const auto end = std::to_chars(std::begin(text), std::end(text), static_cast<double>(microseconds) / 1e6,
                                   std::chars_format::fixed, 1)
                         .ptr;
    return std::string(text, end) + " s";
}

using SteadyClock = std::chrono::steady_clock;

// IPv4 networks no feed-supplied link may reach: "this network", RFC 1918 private, CGNAT, loopback,
// link-local (cloud metadata lives there), IETF protocol assignments, documentation, benchmarking,
// multicast and reserved (broadcast included).
struct Ipv4Network {
    std::uint32_t address;
    int prefix;
};
constexpr std::array<Ipv4Network, 14> k_non_public_ipv4{{
    {0x00000000, 8},
    {0x0a000000, 8},
    {0x64400000, 10},
    {0x7f000000, 8},
    {0xa9fe0000, 16},
    {0xac100000, 12},
    {0xc0000000, 24},
    {0xc0000200, 24},
    {0xc0a80000, 16},
    {0xc6120000, 15},
    {0xc6336400, 24},
    {0xcb007100, 24},
    {0xe0000000, 4},
    {0xf0000000, 4},
}};

bool is_public_ipv4(std::uint32_t address) {
    return std::ranges::none_of(k_non_public_ipv4, [address](const Ipv4Network& network) {
        const std::uint32_t mask = ~std::uint32_t{0} << (32 - network.prefix);
        return (address & mask) == network.address;
    });
}

std::string address_text(const sockaddr* address) {
    char text[INET6_ADDRSTRLEN] = {};
    if (address->sa_family == AF_INET) {
        inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(address)->sin_addr, text, sizeof text);
    } else if (address->sa_family == AF_INET6) {
        inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr, text, sizeof text);
    }
    return text;
}

std::string header_line(std::string_view name, std::string_view value) {
    // Stored validators came from a server and headers from feeds.yaml; neither may smuggle in
    // extra header lines.
    const auto one_line = [](char c) { return c != '\r' && c != '\n'; };
    std::string line;
    std::ranges::copy_if(name, std::back_inserter(line), one_line);
    line += ": ";
    std::ranges::copy_if(value, std::back_inserter(line), one_line);
    return line;
}

// One request in flight: its easy handle and what the header and body callbacks collect.
class Transfer {
public:
    Transfer(CURLM* multi, const FetchRequest& request, const FetchOptions& options, bool forbidden_means_rate_limited)
        : m_multi(multi),
          m_request(request),
          m_max_body(request.max_body_bytes != 0 ? request.max_body_bytes : options.max_body_bytes),
          m_forbidden_means_rate_limited(forbidden_means_rate_limited),
          m_handle(curl_easy_init()) {
        if (m_handle == nullptr) throw std::bad_alloc();
        configure(options);
    }
    ~Transfer() {
        if (m_added) curl_multi_remove_handle(m_multi, m_handle);
        curl_easy_cleanup(m_handle);
    }
    Transfer(const Transfer&) = delete;
    Transfer& operator=(const Transfer&) = delete;

    const FetchRequest& request() const { return m_request; }
    CURL* handle() const { return m_handle; }

    CURLMcode start() {
        const CURLMcode code = curl_multi_add_handle(m_multi, m_handle);
        m_added = code == CURLM_OK;
        return code;
    }

    FetchOutcome finish(CURLcode code) {
        if (m_too_large && !m_request.truncate_at_cap) {
            return std::unexpected(FetchError{"body larger than " + describe_size(m_max_body)});
        }
        // The write callback stopped the transfer on purpose; what arrived is the answer.
        if (m_too_large && code == CURLE_WRITE_ERROR) code = CURLE_OK;
        m_result.truncated = m_too_large;
        if (!m_refused_address.empty()) {
            return std::unexpected(FetchError{"refused to connect to non-public address " + m_refused_address +
                                              " (allow_private: true permits it)"});
        }
        if (code != CURLE_OK) return std::unexpected(FetchError{curl_failure(code)});

        const char* scheme = nullptr;
        curl_easy_getinfo(m_handle, CURLINFO_SCHEME, &scheme);
        long status = 0;
        curl_easy_getinfo(m_handle, CURLINFO_RESPONSE_CODE, &status);
        // A file:// read has no status line; it succeeded, so report it the way HTTP would.
        if (scheme != nullptr && equals_ignoring_case(scheme, "file")) status = 200;
        if (status != 304 && (status < 200 || status >= 300)) {
            std::string message = "HTTP " + std::to_string(status);
            if (!m_reason.empty()) message += " " + m_reason;
            FetchError error{std::move(message), status, std::move(m_retry_after)};
            error.rate_limited = status == 429 || (status == 503 && !error.retry_after.empty()) ||
                                 (status == 403 && m_forbidden_means_rate_limited);
            return std::unexpected(std::move(error));
        }

        m_result.status = status;
        const char* url = nullptr;
        curl_easy_getinfo(m_handle, CURLINFO_EFFECTIVE_URL, &url);
        m_result.effective_url = url != nullptr ? url : m_request.url;
        if (status == 304) {
            m_result.body.clear();
            // A 304 need not repeat the validators; the ones sent are still the current ones.
            if (m_result.etag.empty()) m_result.etag = m_request.etag;
            if (m_result.last_modified.empty()) m_result.last_modified = m_request.last_modified;
        }
        return std::move(m_result);
    }

private:
    void configure(const FetchOptions& options) {
        curl_easy_setopt(m_handle, CURLOPT_PRIVATE, this);
        curl_easy_setopt(m_handle, CURLOPT_URL, m_request.url.c_str());
        curl_easy_setopt(m_handle, CURLOPT_PROTOCOLS_STR, m_request.web_only ? "http,https" : "http,https,file");
        // A feed must never redirect us into the local file system.
        curl_easy_setopt(m_handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(m_handle, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(m_handle, CURLOPT_MAXREDIRS, options.max_redirects);
        curl_easy_setopt(m_handle, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(m_handle, CURLOPT_SSL_VERIFYHOST, 2L);
        const std::string& user_agent = m_request.user_agent.empty() ? options.user_agent : m_request.user_agent;
        curl_easy_setopt(m_handle, CURLOPT_USERAGENT, user_agent.c_str());
        if (!m_request.allow_private) {
            curl_easy_setopt(m_handle, CURLOPT_OPENSOCKETFUNCTION, &Transfer::open_socket);
            curl_easy_setopt(m_handle, CURLOPT_OPENSOCKETDATA, this);
            // A pooled connection opened for another request skips open_socket; this sees every one.
            curl_easy_setopt(m_handle, CURLOPT_PREREQFUNCTION, &Transfer::check_connection);
            curl_easy_setopt(m_handle, CURLOPT_PREREQDATA, this);
        }
        // "" offers every encoding this libcurl build can decode (gzip, deflate, br, zstd).
        curl_easy_setopt(m_handle, CURLOPT_ACCEPT_ENCODING, "");
        curl_easy_setopt(m_handle, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(
            m_handle, CURLOPT_CONNECTTIMEOUT_MS,
            static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(options.connect_timeout).count()));
        curl_easy_setopt(
            m_handle, CURLOPT_TIMEOUT_MS,
            static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(options.total_timeout).count()));
        curl_easy_setopt(m_handle, CURLOPT_LOW_SPEED_LIMIT, options.low_speed_bytes_per_second);
        curl_easy_setopt(m_handle, CURLOPT_LOW_SPEED_TIME, static_cast<long>(options.low_speed_time.count()));
        // The proxy's own "200 Connection established" must not be mistaken for the answer.
        curl_easy_setopt(m_handle, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
        curl_easy_setopt(m_handle, CURLOPT_ERRORBUFFER, m_error);
        curl_easy_setopt(m_handle, CURLOPT_HEADERFUNCTION, &Transfer::on_header);
        curl_easy_setopt(m_handle, CURLOPT_HEADERDATA, this);
        curl_easy_setopt(m_handle, CURLOPT_WRITEFUNCTION, &Transfer::on_body);
        curl_easy_setopt(m_handle, CURLOPT_WRITEDATA, this);

        if (!m_request.etag.empty()) append_header(header_line("If-None-Match", m_request.etag));
        if (!m_request.last_modified.empty()) {
            // Sent verbatim: servers often compare the string, not the date it names.
            append_header(header_line("If-Modified-Since", m_request.last_modified));
        }
        for (const auto& [name, value] : m_request.headers) append_header(header_line(name, value));
        if (m_headers) curl_easy_setopt(m_handle, CURLOPT_HTTPHEADER, m_headers.get());
    }

    void append_header(const std::string& line) {
        curl_slist* list = curl_slist_append(m_headers.get(), line.c_str());
        if (list == nullptr) throw std::bad_alloc();
        // Appending to a list returns its unchanged head; only the first append creates one.
        if (!m_headers) m_headers.reset(list);
    }

    // Sees the resolved address of every connection, redirects included, before it is made.
    static curl_socket_t open_socket(void* self, curlsocktype purpose, curl_sockaddr* address) {
        if (purpose == CURLSOCKTYPE_IPCXN) {
            const std::string ip = address_text(&address->addr);
            if (!is_public_address(ip)) {
                static_cast<Transfer*>(self)->m_refused_address = ip.empty() ? "(unknown family)" : ip;
                return CURL_SOCKET_BAD;
            }
        }
        return ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
    }

    static int check_connection(void* self, char* primary_ip, char*, int, int) {
        const std::string ip = primary_ip != nullptr ? primary_ip : "";
        if (is_public_address(ip)) return CURL_PREREQFUNC_OK;
        static_cast<Transfer*>(self)->m_refused_address = ip.empty() ? "(unknown)" : ip;
        return CURL_PREREQFUNC_ABORT;
    }

    static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* self) {
        const std::size_t bytes = size * count;
        return static_cast<Transfer*>(self)->take_header({data, bytes}) ? bytes : 0;
    }

    static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* self) {
        const std::size_t bytes = size * count;
        return static_cast<Transfer*>(self)->take_body({data, bytes}) ? bytes : 0;
    }

    // Returning false aborts the transfer.
    bool take_header(std::string_view line) {
        if (line.starts_with("HTTP/")) {
            start_response(line);
            return true;
        }
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) return true;
        const std::string_view name = text::trim_ascii_space(line.substr(0, colon));
        const std::string_view value = text::trim_ascii_space(line.substr(colon + 1));
        if (equals_ignoring_case(name, "ETag")) {
            m_result.etag = value;
        } else if (equals_ignoring_case(name, "Last-Modified")) {
            m_result.last_modified = value;
        } else if (equals_ignoring_case(name, "Content-Type")) {
            m_result.content_type = value;
        } else if (equals_ignoring_case(name, "Cache-Control")) {
            m_result.cache_control = value;
        } else if (equals_ignoring_case(name, "Expires")) {
            m_result.expires = value;
        } else if (equals_ignoring_case(name, "Date")) {
            m_result.date = value;
        } else if (equals_ignoring_case(name, "Retry-After")) {
            m_retry_after = value;
        } else if (equals_ignoring_case(name, "Content-Length") && m_status >= 200 && m_status < 300) {
            // Refuse before a byte of the body arrives; the body callback still enforces the decoded size.
            std::size_t length = 0;
            const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), length);
            const bool overflow = error == std::errc::result_out_of_range;
            if (!m_request.truncate_at_cap && (overflow || (error == std::errc{} && length > m_max_body))) {
                m_too_large = true;
                return false;
            }
        }
        return true;
    }

    // Each response of a redirect chain starts with a status line; only the last one's headers count.
    void start_response(std::string_view status_line) {
        const std::string_view rest = status_line.substr(std::min(status_line.find(' '), status_line.size()));
        const std::string_view fields = text::trim_ascii_space(rest);
        long status = 0;
        const auto [end, error] = std::from_chars(fields.data(), fields.data() + fields.size(), status);
        // Interim answers (100 Continue, 103 Early Hints) are followed by the real one.
        if (error != std::errc{} || status < 200) return;
        if (is_redirect(m_status)) {
            // This response answers the hop the previous one sent us to: the current URL is its target.
            if (m_permanent_chain && is_permanent_redirect(m_status)) {
                const char* url = nullptr;
                curl_easy_getinfo(m_handle, CURLINFO_EFFECTIVE_URL, &url);
                if (url != nullptr) m_result.permanent_redirect_url = url;
            } else {
                m_permanent_chain = false;
            }
        }
        m_status = status;
        // The reason phrase reaches logs, `signalctl feeds` and health alerts: no escape sequences.
        m_reason = text::without_controls(
            text::trim_ascii_space(fields.substr(static_cast<std::size_t>(end - fields.data()))));
        m_result.etag.clear();
        m_result.last_modified.clear();
        m_result.content_type.clear();
        m_result.cache_control.clear();
        m_result.expires.clear();
        m_result.date.clear();
        m_retry_after.clear();
    }

    bool take_body(std::string_view bytes) {
        // Error pages and redirect bodies are not feeds; read them to keep the connection, keep nothing.
        if (m_status >= 300) return true;
        if (bytes.size() > m_max_body - m_result.body.size()) {
            m_too_large = true;
            if (m_request.truncate_at_cap) m_result.body.append(bytes.substr(0, m_max_body - m_result.body.size()));
            return false;
        }
        m_result.body.append(bytes);
        return true;
    }

    std::string curl_failure(CURLcode code) const {
        std::string message = curl_easy_strerror(code);
        if (code == CURLE_OPERATION_TIMEDOUT) {
            curl_off_t elapsed = 0;
            curl_easy_getinfo(m_handle, CURLINFO_TOTAL_TIME_T, &elapsed);
            message += " after " + describe_seconds(elapsed);
        }
        if (m_error[0] != '\0') message += std::string(": ") + m_error;
        return message;
    }

    CURLM* m_multi;
    const FetchRequest& m_request;
    std::size_t m_max_body;
    bool m_forbidden_means_rate_limited;
    CURL* m_handle;
    std::unique_ptr<curl_slist, SlistDeleter> m_headers;
    bool m_added = false;
    char m_error[CURL_ERROR_SIZE] = {};
    long m_status = 0;  // of the response being received
    std::string m_reason;
    std::string m_retry_after;
    bool m_permanent_chain = true;  // every redirect so far was permanent
    bool m_too_large = false;
    std::string m_refused_address;
    FetchResult m_result;
};

// The requests waiting on one budget and what it has in flight.
struct Lane {
    int max_connections = 2;
    SteadyClock::duration spacing{};  // between starts; zero when not paced
    bool forbidden_means_rate_limited = false;
    int in_flight = 0;
    SteadyClock::time_point next_start{};
    std::deque<const FetchRequest*> waiting;
};

struct Active {
    std::unique_ptr<Transfer> transfer;
    Lane* lane;
};

SteadyClock::duration spacing_for(double requests_per_second) {
    if (requests_per_second <= 0) return {};
    return std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double>(1.0 / requests_per_second));
}

// Sorts requests into lanes, one per budget (or per host outside every budget), keeping their order.
std::vector<std::unique_ptr<Lane>> make_lanes(const std::vector<FetchRequest>& requests, const FetchOptions& options) {
    std::vector<std::unique_ptr<Lane>> lanes;
    std::unordered_map<std::string, Lane*> by_key;
    for (const FetchRequest& request : requests) {
        const std::string host = url_host(request.url);
        const HostBudget* budget = find_budget(options.budgets, host);
        auto [found, inserted] = by_key.try_emplace(lane_key(request.url, options.budgets), nullptr);
        if (inserted) {
            auto lane = std::make_unique<Lane>();
            if (host.empty()) {
                // file:// reads bother no server: only max_parallel bounds them.
                lane->max_connections = options.max_parallel;
            } else {
                lane->max_connections =
                    std::max(1, budget != nullptr ? budget->max_connections : options.per_host_connections);
                lane->spacing =
                    spacing_for(budget != nullptr ? budget->requests_per_second : options.per_host_requests_per_second);
            }
            lane->forbidden_means_rate_limited = budget != nullptr && budget->forbidden_means_rate_limited;
            found->second = lane.get();
            lanes.push_back(std::move(lane));
        }
        found->second->waiting.push_back(&request);
    }
    return lanes;
}

}  // namespace

std::string lane_key(std::string_view url, const std::vector<HostBudget>& budgets) {
    const std::string host = url_host(url);
    const HostBudget* budget = find_budget(budgets, host);
    return budget != nullptr ? "budget:" + budget->name : "host:" + host;
}

bool is_public_address(std::string_view ip) {
    const std::string text(ip);
    in_addr v4{};
    if (inet_pton(AF_INET, text.c_str(), &v4) == 1) return is_public_ipv4(ntohl(v4.s_addr));
    in6_addr v6{};
    if (inet_pton(AF_INET6, text.c_str(), &v6) != 1) return false;
    const unsigned char* b = v6.s6_addr;
    const bool mapped_v4 =
        std::all_of(b, b + 10, [](unsigned char x) { return x == 0; }) && b[10] == 0xff && b[11] == 0xff;
    if (mapped_v4) {
        return is_public_ipv4(std::uint32_t{b[12]} << 24 | std::uint32_t{b[13]} << 16 | std::uint32_t{b[14]} << 8 |
                              b[15]);
    }
    const bool zero_prefix = std::all_of(b, b + 15, [](unsigned char x) { return x == 0; });  // :: and ::1
    const bool unique_local = (b[0] & 0xfe) == 0xfc;                                          // fc00::/7
    const bool link_local = b[0] == 0xfe && (b[1] & 0xc0) == 0x80;                            // fe80::/10
    const bool site_local = b[0] == 0xfe && (b[1] & 0xc0) == 0xc0;                            // fec0::/10, deprecated
    const bool multicast = b[0] == 0xff;
    const bool documentation = b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8;  // 2001:db8::/32
    return !(zero_prefix || unique_local || link_local || site_local || multicast || documentation);
}

std::string url_host(std::string_view url) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) return {};
    std::string_view authority = url.substr(scheme_end + 3);
    authority = authority.substr(0, authority.find_first_of("/?#"));
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
    std::string_view host = authority;
    if (host.starts_with('[')) {
        host = host.substr(1, host.find(']') - 1);
    } else {
        host = host.substr(0, host.find(':'));
    }
    std::string out = text::ascii_lowercase(host);
    if (out.ends_with('.')) out.pop_back();  // "sec.gov." is sec.gov
    return out;
}

bool host_matches(std::string_view host, std::string_view name) {
    return host == name ||
           (host.size() > name.size() && host.ends_with(name) && host[host.size() - name.size() - 1] == '.');
}

const HostBudget* find_budget(const std::vector<HostBudget>& budgets, std::string_view host) {
    for (const HostBudget& budget : budgets) {
        for (const std::string& name : budget.hosts) {
            if (host_matches(host, name)) return &budget;
        }
    }
    return nullptr;
}

void fetch_all(const std::vector<FetchRequest>& requests, const FetchOptions& options,
               const std::function<void(const FetchRequest&, FetchOutcome)>& on_done) {
    if (!curl_ready()) {
        for (const FetchRequest& request : requests) {
            on_done(request, std::unexpected(FetchError{"libcurl failed to initialise"}));
        }
        return;
    }
    const std::unique_ptr<CURLM, MultiDeleter> multi{curl_multi_init()};
    if (!multi) throw std::bad_alloc();
    const auto parallel = static_cast<std::size_t>(std::max(options.max_parallel, 1));
    std::vector<std::unique_ptr<Lane>> lanes = make_lanes(requests, options);
    // Declared after multi so that every transfer leaves the multi handle before it is destroyed,
    // even when on_done throws.
    std::vector<Active> active;

    while (true) {
        const auto now = SteadyClock::now();
        auto wake = SteadyClock::time_point::max();  // when a paced lane may start its next request
        for (auto lane = lanes.begin(); lane != lanes.end() && active.size() < parallel;) {
            Lane& current = **lane;
            while (!current.waiting.empty() && current.in_flight < current.max_connections &&
                   current.next_start <= now && active.size() < parallel) {
                const FetchRequest& request = *current.waiting.front();
                current.waiting.pop_front();
                auto transfer =
                    std::make_unique<Transfer>(multi.get(), request, options, current.forbidden_means_rate_limited);
                if (const CURLMcode code = transfer->start(); code != CURLM_OK) {
                    on_done(request, std::unexpected(FetchError{curl_multi_strerror(code)}));
                    continue;
                }
                ++current.in_flight;
                if (current.spacing != SteadyClock::duration{}) current.next_start = now + current.spacing;
                active.push_back({std::move(transfer), &current});
            }
            if (!current.waiting.empty() && current.in_flight < current.max_connections)
                wake = std::min(wake, current.next_start);
            lane = current.waiting.empty() && current.in_flight == 0 ? lanes.erase(lane) : std::next(lane);
        }
        if (active.empty() && lanes.empty()) return;

        // Newly added handles carry a zero timeout, so this returns at once when they need driving.
        int timeout_ms = 1000;
        if (wake != SteadyClock::time_point::max()) {
            const auto until = std::chrono::duration_cast<std::chrono::milliseconds>(wake - now).count() + 1;
            timeout_ms = static_cast<int>(std::clamp<long long>(until, 0, timeout_ms));
        }
        curl_multi_poll(multi.get(), nullptr, 0, timeout_ms, nullptr);
        int running = 0;
        curl_multi_perform(multi.get(), &running);
        int queued = 0;
        while (const CURLMsg* message = curl_multi_info_read(multi.get(), &queued)) {
            if (message->msg != CURLMSG_DONE) continue;
            // The message dies with its handle: copy what we need first.
            CURL* handle = message->easy_handle;
            const CURLcode result = message->data.result;
            const auto found = std::ranges::find_if(
                active, [handle](const Active& entry) { return entry.transfer->handle() == handle; });
            Active done = std::move(*found);
            active.erase(found);
            --done.lane->in_flight;
            FetchOutcome outcome = done.transfer->finish(result);
            const FetchRequest& request = done.transfer->request();
            done.transfer.reset();
            on_done(request, std::move(outcome));
        }
    }
}

}  // namespace signalmon::fetch
