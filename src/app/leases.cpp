// Lane leases: a heartbeat, renewal and a fair share of politeness lanes per instance.
#include "app/leases.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <iterator>

namespace signalmon::app {

std::size_t fair_share(std::size_t lanes, std::size_t instances) {
    instances = std::max<std::size_t>(instances, 1);
    return (lanes + instances - 1) / instances;
}

std::string default_instance_id() {
    std::array<char, 256> host{};
    if (::gethostname(host.data(), host.size() - 1) != 0) host[0] = '\0';
    return std::string(host.data()) + ":" + std::to_string(::getpid());
}

LaneLeases::LaneLeases(store::Coordination* coordination, store::Instance self, std::chrono::seconds lease)
    : m_coordination(coordination), m_self(std::move(self)), m_lease(lease) {
    m_instances.push_back(m_self);
}

std::expected<void, std::string> LaneLeases::heartbeat(feed::UnixTime now) {
    // Set first, so a store that cannot be reached is asked again at the next renewal, not at once.
    m_next_renewal = now + std::max<feed::UnixTime>(1, m_lease.count() / 3);
    m_self.seen_at = now;
    auto alive = m_coordination->heartbeat(m_self, now - m_lease.count());
    if (!alive) return std::unexpected(alive.error());
    m_instances = std::move(*alive);
    warn_on_other_rules();
    return {};
}

std::expected<std::vector<std::string>, std::string> LaneLeases::rebalance(std::span<const std::string> lanes,
                                                                           feed::UnixTime now) {
    if (m_coordination == nullptr) return {};
    if (auto alive = heartbeat(now); !alive) return std::unexpected(alive.error());
    const std::set<std::string> configured(lanes.begin(), lanes.end());
    const std::size_t share = fair_share(configured.size(), m_instances.size());
    auto leased = m_coordination->lease_lanes(m_self.id, lanes, share, now, now + m_lease.count());
    if (!leased) return std::unexpected(leased.error());
    std::set<std::string> held(leased->begin(), leased->end());
    // Beyond the share (another instance has come up) or no longer configured: given back, so the
    // instance short of lanes takes them at its next rebalance.
    std::vector<std::string> give_back;
    std::ranges::set_difference(held, configured, std::back_inserter(give_back));
    std::size_t kept = held.size() - give_back.size();
    for (auto lane = held.rbegin(); lane != held.rend() && kept > share; ++lane) {
        if (!configured.contains(*lane)) continue;
        give_back.push_back(*lane);
        --kept;
    }
    if (!give_back.empty()) {
        if (auto released = m_coordination->release_lanes(m_self.id, give_back); !released)
            return std::unexpected(released.error());
        for (const std::string& lane : give_back) held.erase(lane);
        spdlog::info("leases: gave back {} lanes for other instances ({} alive, {} lanes each)", give_back.size(),
                     m_instances.size(), share);
    }
    std::vector<std::string> taken;
    std::ranges::set_difference(held, m_held, std::back_inserter(taken));
    if (!taken.empty())
        spdlog::info("leases: took {} lanes, holding {} of {}", taken.size(), held.size(), lanes.size());
    m_held = std::move(held);
    return taken;
}

std::expected<void, std::string> LaneLeases::renew(feed::UnixTime now) {
    if (m_coordination == nullptr) return {};
    if (auto alive = heartbeat(now); !alive) return alive;
    auto leased = m_coordination->lease_lanes(m_self.id, {}, 0, now, now + m_lease.count());
    if (!leased) return std::unexpected(leased.error());
    m_held = std::set<std::string>(leased->begin(), leased->end());
    return {};
}

std::expected<void, std::string> LaneLeases::leave() {
    if (m_coordination == nullptr) return {};
    m_held.clear();
    return m_coordination->leave(m_self.id);
}

void LaneLeases::warn_on_other_rules() {
    for (const store::Instance& other : m_instances) {
        if (other.rules_hash == m_self.rules_hash) continue;
        // Once per instance and rules: the same hits would otherwise be judged differently per lane.
        if (!m_warned.insert(other.id + " " + other.rules_hash).second) continue;
        spdlog::warn(
            "instance {} runs other rules (hash {}) than this one ({}): items are judged by whichever polls "
            "their feed; give every instance the same rule files",
            other.id, other.rules_hash, m_self.rules_hash);
    }
}

}  // namespace signalmon::app
