// libcurl easy transfers for webhooks and SMTP. Errors carry curl's text, never the request's
// headers or credentials.
#include "alert/transport.hpp"

#include <curl/curl.h>

#include <chrono>
#include <cstring>
#include <memory>

#include "alert/mime.hpp"

namespace signalmon::alert {
namespace {

struct CurlDeleter {
    void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using CurlHandle = std::unique_ptr<CURL, CurlDeleter>;
using CurlList = std::unique_ptr<curl_slist, CurlDeleter>;

void append(CurlList& list, const std::string& line) { list.reset(curl_slist_append(list.release(), line.c_str())); }

CurlHandle new_handle(std::chrono::seconds timeout) {
    static const bool k_initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
    CurlHandle handle(k_initialised ? curl_easy_init() : nullptr);
    if (!handle) return handle;
    curl_easy_setopt(handle.get(), CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle.get(), CURLOPT_TIMEOUT, static_cast<long>(timeout.count()));
    curl_easy_setopt(handle.get(), CURLOPT_CONNECTTIMEOUT,
                     static_cast<long>(std::min<std::int64_t>(timeout.count(), 15)));
    return handle;
}

std::int64_t now_unix() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

size_t discard_body(char*, size_t size, size_t count, void*) { return size * count; }

size_t collect_retry_after(char* data, size_t size, size_t count, void* user) {
    const std::string_view line(data, size * count);
    constexpr std::string_view k_name = "retry-after:";
    if (line.size() > k_name.size() && strncasecmp(line.data(), k_name.data(), k_name.size()) == 0) {
        *static_cast<std::string*>(user) = std::string(line.substr(k_name.size()));
    }
    return size * count;
}

struct UploadSource {
    std::string_view data;
};

size_t read_upload(char* buffer, size_t size, size_t count, void* user) {
    auto* source = static_cast<UploadSource*>(user);
    const size_t take = std::min(size * count, source->data.size());
    std::memcpy(buffer, source->data.data(), take);
    source->data.remove_prefix(take);
    return take;
}

}  // namespace

AttemptResult post_http(const HttpRequest& request, const std::string& user_agent, std::chrono::seconds timeout) {
    CurlHandle handle = new_handle(timeout);
    if (!handle)
        return {.outcome = AttemptResult::Outcome::retry, .error = "curl could not start", .retry_after = std::nullopt};
    CurlList headers;
    for (const auto& [name, value] : request.headers) append(headers, std::string(name).append(": ").append(value));
    append(headers, "Expect:");  // no 100-continue round trip for small bodies
    std::string retry_after;
    CURL* curl = handle.get();
    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(curl, CURLOPT_USERAGENT, user_agent.c_str());
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard_body);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, collect_retry_after);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &retry_after);
    // A redirect would replay the POST to wherever it points; a webhook URL is configured exactly.
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    const CURLcode code = curl_easy_perform(curl);
    if (code != CURLE_OK) {
        return {
            .outcome = AttemptResult::Outcome::retry, .error = curl_easy_strerror(code), .retry_after = std::nullopt};
    }
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    return classify_http(status, retry_after, now_unix());
}

AttemptResult send_smtp(const config::EmailChannel& channel, const std::string& password, const std::string& message,
                        std::chrono::seconds timeout) {
    CurlHandle handle = new_handle(timeout);
    if (!handle)
        return {.outcome = AttemptResult::Outcome::retry, .error = "curl could not start", .retry_after = std::nullopt};
    CurlList recipients;
    for (const std::string& address : channel.to) append(recipients, "<" + address + ">");
    const std::string from = "<" + mailbox_address(channel.from) + ">";
    UploadSource source{message};
    CURL* curl = handle.get();
    curl_easy_setopt(curl, CURLOPT_URL, channel.url.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    if (channel.url.starts_with("smtp://")) {
        const long use_ssl = channel.starttls == config::StartTls::required   ? CURLUSESSL_ALL
                             : channel.starttls == config::StartTls::optional ? CURLUSESSL_TRY
                                                                              : CURLUSESSL_NONE;
        curl_easy_setopt(curl, CURLOPT_USE_SSL, use_ssl);
    }
    if (!channel.username.empty()) {
        curl_easy_setopt(curl, CURLOPT_USERNAME, channel.username.c_str());
        curl_easy_setopt(curl, CURLOPT_PASSWORD, password.c_str());
    }
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients.get());
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(curl, CURLOPT_READDATA, &source);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
    // libcurl waits for each SMTP reply up to its own 120 s default, not CURLOPT_TIMEOUT, once the
    // transfer is over (the reply after DATA) and for QUIT as it closes a timed-out connection:
    // bound every exchange by the channel's timeout too.
    curl_easy_setopt(curl, CURLOPT_SERVER_RESPONSE_TIMEOUT, static_cast<long>(timeout.count()));
    const CURLcode code = curl_easy_perform(curl);
    if (code == CURLE_OK) return {};
    long reply = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply);
    if (code == CURLE_USE_SSL_FAILED) {
        return {.outcome = AttemptResult::Outcome::retry,
                .error = "the server does not offer STARTTLS, which this channel requires (starttls: required)",
                .retry_after = std::nullopt};
    }
    if (code == CURLE_LOGIN_DENIED) {
        return {
            .outcome = AttemptResult::Outcome::permanent, .error = "SMTP login denied", .retry_after = std::nullopt};
    }
    // Connection-level failures have no reply code and are worth retrying.
    return classify_smtp(reply, curl_easy_strerror(code));
}

}  // namespace signalmon::alert
