// The wall clock as the poll cycle sees it, so a test can set the time.
#pragma once

#include <chrono>

#include "feed/item.hpp"

namespace signalmon::app {

class Clock {
public:
    Clock() = default;
    Clock(const Clock&) = delete;
    Clock& operator=(const Clock&) = delete;
    Clock(Clock&&) = delete;
    Clock& operator=(Clock&&) = delete;
    virtual ~Clock() = default;
    virtual feed::UnixTime now() const = 0;
};

class SystemClock final : public Clock {
public:
    feed::UnixTime now() const override {
        return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    }
};

}  // namespace signalmon::app
