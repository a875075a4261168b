// spdlog configuration: a custom %* flag renders the journald priority prefix.
#include "app/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <memory>

namespace signalmon::app {
namespace {

class PriorityFlag final : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg& message, const std::tm&, spdlog::memory_buf_t& destination) override {
        const std::string_view prefix = journal_priority_prefix(message.level);
        destination.append(prefix.data(), prefix.data() + prefix.size());
    }

    std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<PriorityFlag>(); }
};

}  // namespace

std::string_view journal_priority_prefix(int spdlog_level) {
    switch (spdlog_level) {
        case spdlog::level::critical: return "<2>";
        case spdlog::level::err: return "<3>";
        case spdlog::level::warn: return "<4>";
        case spdlog::level::info: return "<6>";
        default: return "<7>";
    }
}

bool journal_logging() { return std::getenv("JOURNAL_STREAM") != nullptr; }

void setup_logging(bool verbose) {
    auto logger = spdlog::stderr_logger_mt("signalmond");
    if (journal_logging()) {
        auto formatter = std::make_unique<spdlog::pattern_formatter>();
        formatter->add_flag<PriorityFlag>('*').set_pattern("%*%v");
        logger->set_formatter(std::move(formatter));
    } else {
        logger->set_pattern("%Y-%m-%dT%H:%M:%S%z %l %v");
    }
    logger->flush_on(spdlog::level::trace);
    spdlog::set_default_logger(std::move(logger));
    spdlog::set_level(verbose ? spdlog::level::debug : spdlog::level::info);
}

}  // namespace signalmon::app
