// Tests for src/app/leases.cpp: fair shares, and two daemons' LaneLeases over a fake coordination
// (lanes in a map, as store/postgres_coordination.cpp keeps them in a table).
#include <doctest/doctest.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>

#include "app/leases.hpp"

using namespace signalmon;

namespace {

constexpr feed::UnixTime k_lease_now = 1'790'000'000;

class FakeCoordination final : public store::Coordination {
public:
    struct Lease {
        std::string holder;
        feed::UnixTime expires_at = 0;
    };

    std::expected<std::vector<store::Instance>, std::string> heartbeat(const store::Instance& self,
                                                                       feed::UnixTime alive_since) override {
        instances[self.id] = self;
        std::vector<store::Instance> alive;
        for (const auto& [id, instance] : instances) {
            if (instance.seen_at >= alive_since) alive.push_back(instance);
        }
        return alive;
    }

    std::expected<std::vector<std::string>, std::string> lease_lanes(std::string_view holder,
                                                                     std::span<const std::string> candidates,
                                                                     std::size_t want, feed::UnixTime now,
                                                                     feed::UnixTime expires_at) override {
        std::vector<std::string> held;
        for (auto& [lane, lease] : lanes) {
            if (lease.holder != holder) continue;
            lease.expires_at = expires_at;
            held.push_back(lane);
        }
        for (const std::string& lane : candidates) {
            if (held.size() >= want) break;
            Lease& lease = lanes[lane];
            if (lease.holder == holder || lease.expires_at > now) continue;
            lease = {std::string(holder), expires_at};
            held.push_back(lane);
        }
        std::ranges::sort(held);
        return held;
    }

    std::expected<void, std::string> release_lanes(std::string_view holder,
                                                   std::span<const std::string> given) override {
        for (const std::string& lane : given) {
            if (lanes[lane].holder == holder) lanes[lane] = {};
        }
        return {};
    }

    std::expected<void, std::string> leave(std::string_view holder) override {
        instances.erase(std::string(holder));
        for (auto& [lane, lease] : lanes) {
            if (lease.holder == holder) lease = {};
        }
        return {};
    }

    void claim_outbox_as(std::string /*holder*/, std::int64_t /*claim_seconds*/) override {}
    bool lead() override { return true; }

    std::map<std::string, Lease> lanes;
    std::map<std::string, store::Instance> instances;
};

const std::vector<std::string> k_config_lanes{"budget:sec-edgar", "host:a.example", "host:b.example", "host:c.example"};

store::Instance instance(std::string id) {
    return {.id = std::move(id), .rules_hash = "r1", .started_at = k_lease_now};
}

}  // namespace

TEST_CASE("a fair share is the lanes over the instances alive, rounded up") {
    CHECK(app::fair_share(4, 1) == 4);
    CHECK(app::fair_share(4, 2) == 2);
    CHECK(app::fair_share(10, 3) == 4);
    CHECK(app::fair_share(2, 3) == 1);
    CHECK(app::fair_share(0, 2) == 0);
    CHECK(app::fair_share(5, 0) == 5);  // not even itself seen yet: all of them
}

TEST_CASE("a store with one daemon: every lane is held and nothing is asked") {
    app::LaneLeases leases(nullptr, instance("solo"), std::chrono::seconds(60));
    CHECK(leases.rebalance(k_config_lanes, k_lease_now)->empty());
    CHECK(leases.holds("host:anything"));
    CHECK_FALSE(leases.shared());
}

TEST_CASE("instances share lanes evenly: a newcomer gets lanes given back, a dead one's lanes pass on") {
    FakeCoordination store;
    const std::chrono::seconds lease(30);
    app::LaneLeases first(&store, instance("a"), lease);
    app::LaneLeases second(&store, instance("b"), lease);

    CHECK(first.rebalance(k_config_lanes, k_lease_now)->size() == 4);  // alone: all of them
    CHECK(second.rebalance(k_config_lanes, k_lease_now)->empty());     // every lane is held
    CHECK(second.due(k_lease_now + 10));
    CHECK_FALSE(second.due(k_lease_now + 9));
    // The first sees two instances alive and gives back the lanes beyond its share...
    CHECK(first.rebalance(k_config_lanes, k_lease_now + 10)->empty());
    CHECK(first.held().size() == 2);
    // ...which the second takes at its next turn, as lanes newly taken (their feeds' state is read again).
    const auto taken = second.rebalance(k_config_lanes, k_lease_now + 10);
    CHECK(taken->size() == 2);
    for (const std::string& lane : *taken) {
        CHECK(second.holds(lane));
        CHECK_FALSE(first.holds(lane));
    }
    // The second stops renewing (killed): after its lease the first holds everything again.
    CHECK(first.rebalance(k_config_lanes, k_lease_now + 30)->empty());  // its leases still run: nothing to take
    CHECK(first.rebalance(k_config_lanes, k_lease_now + 45)->size() == 2);
    CHECK(first.held().size() == 4);
    CHECK(first.instances().size() == 1);
    // A clean stop frees every lane at once.
    REQUIRE(first.leave());
    CHECK(first.held().empty());
    REQUIRE(second.rebalance(k_config_lanes, k_lease_now + 46));
    CHECK(second.held().size() == 4);
}

TEST_CASE("renewal keeps the lanes held and learns of those lost to another instance") {
    FakeCoordination store;
    app::LaneLeases leases(&store, instance("a"), std::chrono::seconds(30));
    REQUIRE(leases.rebalance(k_config_lanes, k_lease_now));
    REQUIRE(leases.renew(k_lease_now + 10));
    CHECK(store.lanes["host:a.example"].expires_at == k_lease_now + 40);
    store.lanes["host:a.example"] = {"b", k_lease_now + 100};  // taken over while this one stalled
    REQUIRE(leases.renew(k_lease_now + 20));
    CHECK_FALSE(leases.holds("host:a.example"));
    CHECK(leases.held().size() == 3);
}

TEST_CASE("an instance on other rules is warned about once") {
    FakeCoordination store;
    app::LaneLeases first(&store, instance("a"), std::chrono::seconds(30));
    store::Instance other = instance("b");
    other.rules_hash = "r2";
    app::LaneLeases second(&store, other, std::chrono::seconds(30));
    REQUIRE(second.renew(k_lease_now));
    const auto sink = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(8);
    const auto previous = spdlog::default_logger();
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("leases", sink));
    REQUIRE(first.renew(k_lease_now));
    REQUIRE(first.renew(k_lease_now + 10));
    spdlog::set_default_logger(previous);
    const auto lines = sink->last_formatted();
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].find("instance b runs other rules (hash r2) than this one (r1)") != std::string::npos);
}
