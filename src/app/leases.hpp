// Which politeness lanes (a source profile, or a host outside every profile) this daemon polls
// when several share a PostgreSQL store: each lane is leased to one instance at a time, so a
// source's or a host's budget holds across all of them, and the lanes of an instance that dies
// pass to the others once its leases run out. On a store with one daemon every lane is its own.
#pragma once

#include <chrono>
#include <cstddef>
#include <expected>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace signalmon::app {

// The lanes an instance should hold: an even share of them over the instances alive, rounded up.
std::size_t fair_share(std::size_t lanes, std::size_t instances);

// This daemon's name among those sharing a store: the configured one, else host:pid.
std::string default_instance_id();

class LaneLeases {
public:
    // coordination null: a store with one daemon (every lane is held, nothing is asked).
    LaneLeases(store::Coordination* coordination, store::Instance self, std::chrono::seconds lease);

    // Heartbeat, renewal, and a fair share of lanes: takes free or expired ones up to the share and
    // gives back any beyond it or no longer configured. Returns the lanes newly taken, whose feeds'
    // stored states and schedules the caller must read again (another instance polled them).
    std::expected<std::vector<std::string>, std::string> rebalance(std::span<const std::string> lanes,
                                                                   feed::UnixTime now);
    // Heartbeat and renewal only, taking and giving back nothing: safe in the middle of a cycle.
    std::expected<void, std::string> renew(feed::UnixTime now);
    // At a clean stop: every lane and outbox claim is given back at once, for the others to take.
    std::expected<void, std::string> leave();

    // Whether rebalance or renew is due (a third of the lease has passed since the last one).
    bool due(feed::UnixTime now) const { return now >= m_next_renewal; }
    feed::UnixTime next_renewal() const { return m_next_renewal; }
    bool holds(const std::string& lane) const { return m_coordination == nullptr || m_held.contains(lane); }
    void set_rules_hash(std::string rules_hash) { m_self.rules_hash = std::move(rules_hash); }

    const store::Instance& self() const { return m_self; }
    const std::set<std::string>& held() const { return m_held; }
    const std::vector<store::Instance>& instances() const { return m_instances; }
    bool shared() const { return m_coordination != nullptr; }

private:
    std::expected<void, std::string> heartbeat(feed::UnixTime now);
    void warn_on_other_rules();

    store::Coordination* m_coordination;
    store::Instance m_self;
    std::chrono::seconds m_lease;
    std::set<std::string> m_held;
    std::vector<store::Instance> m_instances;  // alive at the last heartbeat, self included
    std::set<std::string> m_warned;            // "id rules_hash" pairs already warned about
    feed::UnixTime m_next_renewal = 0;
};

}  // namespace signalmon::app
