// Grouping hit rows by story.
#include "web/stories.hpp"

#include <algorithm>
#include <map>

#include "ledger/ledger.hpp"
#include "score/evaluate.hpp"

namespace signalmon::web {

std::vector<std::string> HitStory::terms() const {
    std::vector<std::string> all;
    for (const store::HitRow& row : signals) all.insert(all.end(), row.terms.begin(), row.terms.end());
    return all;
}

std::vector<HitStory> group_stories(std::vector<store::HitRow> rows, std::size_t limit) {
    std::vector<HitStory> stories;
    std::map<std::tuple<std::string, std::string, std::string>, std::size_t> index;  // (feed, item, brief)
    for (store::HitRow& row : rows) {
        const auto [found, inserted] = index.try_emplace({row.feed, row.item_key, row.brief}, stories.size());
        if (inserted && stories.size() == limit) {
            index.erase(found);  // a story past the limit; rows of the stories kept still join them
            continue;
        }
        if (inserted) stories.emplace_back();
        HitStory& story = stories[found->second];
        if (const auto kind = rules::kind_named(row.kind)) story.scores[score::kind_index(*kind)] = row.score;
        story.signals.push_back(std::move(row));
    }
    for (HitStory& story : stories) {
        for (const rules::Kind kind : ledger::k_ledger_kinds) {
            const std::string_view name = rules::kind_name(kind);
            if (std::ranges::any_of(story.signals, [&](const store::HitRow& row) { return row.kind == name; }))
                story.kinds.emplace_back(name);
        }
    }
    return stories;
}

}  // namespace signalmon::web
