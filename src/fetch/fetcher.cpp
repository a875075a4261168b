// Runs FetchRequests through libcurl's multi interface and turns each finished transfer into a FetchOutcome.
#include "fetch/fetcher.hpp"

#include <curl/curl.h>

#include <algorithm>
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
    return std::ranges::equal(a, b, [](unsigned char x, unsigned char y) {
        return std::tolower(x) == std::tolower(y);
    });
}

std::string_view trim(std::string_view text) {
    constexpr std::string_view k_space = " \t\r\n";
    const auto first = text.find_first_not_of(k_space);
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(k_space) - first + 1);
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
    const auto end = std::to_chars(std::begin(text), std::end(text),
                                   static_cast<double>(microseconds) / 1e6, std::chars_format::fixed, 1)
                         .ptr;
    return std::string(text, end) + " s";
}

std::string header_line(std::string_view name, std::string_view value) {
    std::string line{name};
    line += ": ";
    // Stored validators came from a server; they must never smuggle in extra header lines.
    std::ranges::copy_if(value, std::back_inserter(line), [](char c) { return c != '\r' && c != '\n'; });
    return line;
}

// One request in flight: its easy handle and what the header and body callbacks collect.
class Transfer {
public:
    Transfer(CURLM* multi, const FetchRequest& request, const FetchOptions& options)
        : m_multi(multi), m_request(request), m_max_body(options.max_body_bytes), m_handle(curl_easy_init()) {
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
        if (m_too_large) return std::unexpected(FetchError{"body larger than " + describe_size(m_max_body)});
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
            return std::unexpected(FetchError{std::move(message), status, std::move(m_retry_after)});
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
        curl_easy_setopt(m_handle, CURLOPT_PROTOCOLS_STR, "http,https,file");
        // A feed must never redirect us into the local file system.
        curl_easy_setopt(m_handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(m_handle, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(m_handle, CURLOPT_MAXREDIRS, options.max_redirects);
        curl_easy_setopt(m_handle, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(m_handle, CURLOPT_SSL_VERIFYHOST, 2L);
        curl_easy_setopt(m_handle, CURLOPT_USERAGENT, options.user_agent.c_str());
        // "" offers every encoding this libcurl build can decode (gzip, deflate, br, zstd).
        curl_easy_setopt(m_handle, CURLOPT_ACCEPT_ENCODING, "");
        curl_easy_setopt(m_handle, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(m_handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(
            std::chrono::duration_cast<std::chrono::milliseconds>(options.connect_timeout).count()));
        curl_easy_setopt(m_handle, CURLOPT_TIMEOUT_MS, static_cast<long>(
            std::chrono::duration_cast<std::chrono::milliseconds>(options.total_timeout).count()));
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
        if (m_headers) curl_easy_setopt(m_handle, CURLOPT_HTTPHEADER, m_headers.get());
    }

    void append_header(const std::string& line) {
        curl_slist* list = curl_slist_append(m_headers.get(), line.c_str());
        if (list == nullptr) throw std::bad_alloc();
        // Appending to a list returns its unchanged head; only the first append creates one.
        if (!m_headers) m_headers.reset(list);
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
        const std::string_view name = trim(line.substr(0, colon));
        const std::string_view value = trim(line.substr(colon + 1));
        if (equals_ignoring_case(name, "ETag")) {
            m_result.etag = value;
        } else if (equals_ignoring_case(name, "Last-Modified")) {
            m_result.last_modified = value;
        } else if (equals_ignoring_case(name, "Content-Type")) {
            m_result.content_type = value;
        } else if (equals_ignoring_case(name, "Retry-After")) {
            m_retry_after = value;
        } else if (equals_ignoring_case(name, "Content-Length") && m_status >= 200 && m_status < 300) {
            // Refuse before a byte of the body arrives; the body callback still enforces the decoded size.
            std::size_t length = 0;
            const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), length);
            const bool overflow = error == std::errc::result_out_of_range;
            if (overflow || (error == std::errc{} && length > m_max_body)) {
                m_too_large = true;
                return false;
            }
        }
        return true;
    }

    // Each response of a redirect chain starts with a status line; only the last one's headers count.
    void start_response(std::string_view status_line) {
        const std::string_view rest = status_line.substr(std::min(status_line.find(' '), status_line.size()));
        const std::string_view fields = trim(rest);
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
        m_reason = trim(fields.substr(static_cast<std::size_t>(end - fields.data())));
        m_result.etag.clear();
        m_result.last_modified.clear();
        m_result.content_type.clear();
        m_retry_after.clear();
    }

    bool take_body(std::string_view bytes) {
        // Error pages and redirect bodies are not feeds; read them to keep the connection, keep nothing.
        if (m_status >= 300) return true;
        if (bytes.size() > m_max_body - m_result.body.size()) {
            m_too_large = true;
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
    CURL* m_handle;
    std::unique_ptr<curl_slist, SlistDeleter> m_headers;
    bool m_added = false;
    char m_error[CURL_ERROR_SIZE] = {};
    long m_status = 0;  // of the response being received
    std::string m_reason;
    std::string m_retry_after;
    bool m_permanent_chain = true;  // every redirect so far was permanent
    bool m_too_large = false;
    FetchResult m_result;
};

}  // namespace

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
    // Declared after multi so that every transfer leaves the multi handle before it is destroyed,
    // even when on_done throws.
    std::vector<std::unique_ptr<Transfer>> active;
    auto next = requests.begin();

    while (true) {
        while (active.size() < parallel && next != requests.end()) {
            auto transfer = std::make_unique<Transfer>(multi.get(), *next++, options);
            if (const CURLMcode code = transfer->start(); code != CURLM_OK) {
                on_done(transfer->request(), std::unexpected(FetchError{curl_multi_strerror(code)}));
                continue;
            }
            active.push_back(std::move(transfer));
        }
        if (active.empty()) return;

        // Newly added handles carry a zero timeout, so this returns at once when they need driving.
        curl_multi_poll(multi.get(), nullptr, 0, 1000, nullptr);
        int running = 0;
        curl_multi_perform(multi.get(), &running);
        int queued = 0;
        while (const CURLMsg* message = curl_multi_info_read(multi.get(), &queued)) {
            if (message->msg != CURLMSG_DONE) continue;
            // The message dies with its handle: copy what we need first.
            CURL* handle = message->easy_handle;
            const CURLcode result = message->data.result;
            const auto found = std::ranges::find(active, handle, &Transfer::handle);
            std::unique_ptr<Transfer> done = std::move(*found);
            active.erase(found);
            FetchOutcome outcome = done->finish(result);
            const FetchRequest& request = done->request();
            done.reset();
            on_done(request, std::move(outcome));
        }
    }
}

}  // namespace signalmon::fetch
